// The unit files of the workspace, by URI: what completion offers as unit names and what
// cross-file rules look up. Only names are indexed here; parsing is on demand.
import { classifyUnitPath, type UnitFileName } from '../unitFile/unitName';

export class WorkspaceIndex {
  private readonly files = new Map<string, UnitFileName>();

  add(uri: string): void {
    const name = classifyUnitPath(uri);
    if (name.unitName && !name.dropIn) this.files.set(uri, name);
  }

  remove(uri: string): void {
    this.files.delete(uri);
  }

  /** Unit names defined by workspace files, e.g. `helloworld@.service`, sorted. */
  unitNames(): string[] {
    return [...new Set([...this.files.values()].map((n) => n.unitName!))].sort();
  }

  get size(): number {
    return this.files.size;
  }
}
