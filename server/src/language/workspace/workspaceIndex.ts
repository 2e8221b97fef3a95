// The unit files of the workspace, by URI: their names, their text (from disk, or the editor's
// version while open), their parse, and facts derived from them (fleet requirements, etcd keys
// written and read, …). Cross-file rules and completion read it; derived facts are memoized per
// file version so an edit recomputes only the edited file's facts.
import type { UnitFile } from '../unitFile/ast';
import { parseUnitFile } from '../unitFile/parser';
import { classifyUnitPath, parseUnitName, type UnitFileName } from '../unitFile/unitName';

export interface IndexedUnit {
  uri: string;
  name: UnitFileName;
  /** Increments on every text change, so derived facts know when to recompute. */
  revision: number;
  text: string;
  /** Parsed on first access. */
  readonly file: UnitFile;
}

class Entry implements IndexedUnit {
  private parsed: UnitFile | undefined;
  readonly derived = new Map<string, unknown>();
  constructor(
    readonly uri: string,
    readonly name: UnitFileName,
    public text: string,
    public revision: number,
  ) {}
  get file(): UnitFile {
    return (this.parsed ??= parseUnitFile(this.text));
  }
  update(text: string, revision: number, file?: UnitFile): void {
    this.text = text;
    this.revision = revision;
    this.parsed = file;
    this.derived.clear();
  }
  adopt(file: UnitFile): void {
    this.parsed = file;
  }
}

export class WorkspaceIndex {
  private readonly entries = new Map<string, Entry>();
  private revision = 0;
  /** Bumps whenever any file is added, changed or removed. */
  generation = 0;

  /**
   * Records a unit file's text (from disk or an open editor). Returns false for files that are
   * not unit files. Pass the already-parsed tree to avoid parsing twice.
   */
  set(uri: string, text: string, file?: UnitFile): boolean {
    const name = classifyUnitPath(uri);
    if (!name.type) return false;
    const existing = this.entries.get(uri);
    if (existing && existing.text === text) {
      if (file) existing.adopt(file);
      return true;
    }
    this.generation++;
    if (existing) existing.update(text, ++this.revision, file);
    else {
      const e = new Entry(uri, name, text, ++this.revision);
      if (file) e.adopt(file);
      this.entries.set(uri, e);
    }
    return true;
  }

  remove(uri: string): void {
    if (this.entries.delete(uri)) this.generation++;
  }

  get(uri: string): IndexedUnit | undefined {
    return this.entries.get(uri);
  }

  units(): Iterable<IndexedUnit> {
    return this.entries.values();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Unit names defined by workspace files (not drop-ins), e.g. `helloworld@.service`, sorted. */
  unitNames(): string[] {
    const names = new Set<string>();
    for (const e of this.entries.values()) if (e.name.unitName && !e.name.dropIn) names.add(e.name.unitName);
    return [...names].sort();
  }

  /**
   * The files that define `unitName`: the file of that exact name, or for an instance
   * (`foo@1.service`) the template `foo@.service`.
   */
  findUnit(unitName: string): IndexedUnit[] {
    const exact: IndexedUnit[] = [];
    const template: IndexedUnit[] = [];
    const parsed = parseUnitName(unitName);
    const templateName = parsed && parsed.instance ? `${parsed.prefix}@.${parsed.type}` : undefined;
    for (const e of this.entries.values()) {
      if (e.name.dropIn) continue;
      if (e.name.unitName === unitName) exact.push(e);
      else if (templateName && e.name.unitName === templateName) template.push(e);
    }
    return exact.length > 0 ? exact : template;
  }

  /**
   * A fact derived from one file, computed once per file revision. `kind` names the fact
   * (e.g. "fleet", "etcd-keys"); `compute` must be pure.
   */
  derive<T>(unit: IndexedUnit, kind: string, compute: (unit: IndexedUnit) => T): T {
    const e = unit as Entry;
    if (e.derived.has(kind)) return e.derived.get(kind) as T;
    const value = compute(unit);
    e.derived.set(kind, value);
    return value;
  }
}
