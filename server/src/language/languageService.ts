// The pure language service: parsing, diagnostics, completion, hover, symbols, folding and
// quick fixes for systemd unit files. No LSP connection and no VS Code here — the server glue
// (server/src/server.ts), the tests and the CLI use it directly.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CodeAction, type CompletionItem, type CompletionList, type Diagnostic, type DocumentSymbol, type FoldingRange, type Hover, type Location, type Position, type Range } from 'vscode-languageserver-types';
import { keyCompletions, keySlotAt } from './etcd/completion';
import { keyDefinitions, keyReferences } from './etcd/navigation';
import { createSidekickAction } from './etcd/sidekick';
import { rememberLiveKeys } from './etcd/unitKeys';
import { completions, resolveCompletion } from './features/completion';
import { foldingRanges } from './features/folding';
import { hover } from './features/hover';
import { documentSymbols } from './features/symbols';
import { NO_CLUSTER, type LiveCluster } from './live';
import { RULES, RULES_BY_CODE } from './rules';
import { DIAGNOSTIC_SOURCE, type Finding, type Rule, type Severity, type SeveritySetting } from './rules/rule';
import type { LanguageSettings } from './settings';
import type { UnitFile } from './unitFile/ast';
import { parseUnitFile } from './unitFile/parser';
import { classifyUnitPath, type UnitFileName } from './unitFile/unitName';
import { WorkspaceIndex } from './workspace/workspaceIndex';

export type { LanguageSettings } from './settings';

export interface ParsedDocument {
  uri: string;
  version: number;
  file: UnitFile;
  name: UnitFileName;
  /** Diagnostics of the `file`-scoped rules, computed once per version and settings. */
  fileDiagnostics?: { settings: number; diagnostics: Diagnostic[] };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export class UnitLanguageService {
  private settings: LanguageSettings = {};
  private settingsGeneration = 0;
  private readonly parsed = new Map<string, ParsedDocument>();
  private readonly fileRules = RULES.filter((r) => (r.scope ?? 'file') === 'file');
  private readonly workspaceRules = RULES.filter((r) => r.scope === 'workspace');

  constructor(
    readonly workspace: WorkspaceIndex = new WorkspaceIndex(),
    public live: LiveCluster = NO_CLUSTER,
  ) {}

  configure(settings: LanguageSettings): void {
    this.settings = settings;
    this.settingsGeneration++;
  }

  get hasWorkspaceRules(): boolean {
    return this.workspaceRules.length > 0;
  }

  getSettings(): LanguageSettings {
    return this.settings;
  }

  /** Parses (or returns the cached parse of) a document version, and keeps the workspace index in step. */
  parse(document: TextDocument): ParsedDocument {
    const cached = this.parsed.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    const file = parseUnitFile(text);
    const result: ParsedDocument = { uri: document.uri, version: document.version, file, name: classifyUnitPath(document.uri) };
    this.parsed.set(document.uri, result);
    this.workspace.set(document.uri, text, file);
    return result;
  }

  /** Drops the cached parse of a closed document (the workspace index keeps the file). */
  forget(uri: string): void {
    this.parsed.delete(uri);
  }

  validate(document: TextDocument): Diagnostic[] {
    const doc = this.parse(document);
    if (doc.fileDiagnostics?.settings !== this.settingsGeneration) {
      doc.fileDiagnostics = { settings: this.settingsGeneration, diagnostics: this.run(this.fileRules, doc) };
    }
    return this.workspaceRules.length === 0 ? doc.fileDiagnostics.diagnostics : [...doc.fileDiagnostics.diagnostics, ...this.run(this.workspaceRules, doc)];
  }

  private run(rules: readonly Rule[], doc: ParsedDocument): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    for (const rule of rules) {
      const severity = this.severityOf(rule);
      if (severity === 'off') continue;
      const report = (f: Finding) => diagnostics.push(toDiagnostic(rule, severity, f));
      try {
        rule.check({ uri: doc.uri, file: doc.file, name: doc.name, workspace: this.workspace, settings: this.settings, report });
      } catch (err) {
        // A bug in one rule must never take the others (or the server) down.
        diagnostics.push({ range: zeroRange(), severity: DiagnosticSeverity.Information, source: DIAGNOSTIC_SOURCE, code: 'internal-error', message: `Rule ${rule.code} failed: ${String(err)}` });
      }
    }
    return diagnostics;
  }

  /**
   * Quick fixes for `diagnostics`; and, when the client asks for source actions (`only` holds
   * `source`, as VS Code's "Source Action…" menu does), those of the document ("Create sidekick").
   */
  codeActions(document: TextDocument, diagnostics: Diagnostic[], only?: string[]): CodeAction[] {
    const doc = this.parse(document);
    const actions: CodeAction[] = [];
    const wanted = (kind: string) => only !== undefined && only.some((k) => kind === k || kind.startsWith(`${k}.`));
    for (const d of diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE) continue;
      const rule = RULES_BY_CODE.get(String(d.code));
      if (!rule?.fixes) continue;
      try {
        actions.push(...rule.fixes(d, { uri: doc.uri, document, file: doc.file, name: doc.name, workspace: this.workspace, settings: this.settings }));
      } catch {
        // No fix is better than a crash.
      }
    }
    // Source actions come after the quick fixes.
    if (wanted('source')) {
      const sidekick = createSidekickAction(doc.uri, doc.name, doc.file, this.workspace, this.settings.etcdApiVersion ?? 'v3');
      if (sidekick) actions.push(sidekick);
    }
    return actions;
  }

  /** Async: inside [X-Fleet], MachineID= and MachineMetadata= values come from the live cluster. */
  async complete(document: TextDocument, position: Position): Promise<CompletionList> {
    const doc = this.parse(document);
    // etcd key paths inside etcdctl arguments (workspace keys, and live keys from the cluster).
    const slot = keySlotAt(doc.file, position);
    if (slot) return keyCompletions(slot, this.workspace, { live: this.live, uri: doc.uri, position });
    return completions(doc.file, doc.name, position, this.workspace, this.live);
  }

  /** On an etcd key argument: the units that write that key. */
  definition(document: TextDocument, position: Position): Location[] {
    const doc = this.parse(document);
    return keyDefinitions(this.workspace, doc.uri, doc.file, position);
  }

  /** On an etcd key argument: every writer, reader, watcher and remover of that key in the workspace. */
  references(document: TextDocument, position: Position, includeDeclaration = true): Location[] {
    const doc = this.parse(document);
    return keyReferences(this.workspace, doc.uri, doc.file, position, includeDeclaration);
  }

  /**
   * Asks the connected cluster for its etcd keys (at most `limit`) and keeps them for the
   * synchronous rules (etcd-read-unwritten). Returns true when the known keys changed.
   */
  async refreshLiveEtcdKeys(limit = 1000): Promise<boolean> {
    let keys: string[];
    try {
      keys = await this.live.etcdKeys('', limit);
    } catch {
      keys = [];
    }
    return rememberLiveKeys(this.workspace, keys, true);
  }

  resolveCompletion(item: CompletionItem): CompletionItem {
    return resolveCompletion(item);
  }

  hover(document: TextDocument, position: Position): Hover | null {
    const doc = this.parse(document);
    return hover(doc.file, doc.name, position, this.workspace);
  }

  symbols(document: TextDocument): DocumentSymbol[] {
    return documentSymbols(this.parse(document).file);
  }

  folding(document: TextDocument): FoldingRange[] {
    return foldingRanges(this.parse(document).file);
  }

  private severityOf(rule: Rule): SeveritySetting {
    return this.settings.severity?.[rule.code] ?? rule.defaultSeverity;
  }
}

function toDiagnostic(rule: Rule, severity: Severity, f: Finding): Diagnostic {
  const d: Diagnostic = { range: f.range, severity: SEVERITY[severity], source: DIAGNOSTIC_SOURCE, code: rule.code, message: f.message };
  if (f.tags) d.tags = f.tags;
  if (f.related) d.relatedInformation = f.related;
  if (f.data !== undefined) d.data = f.data;
  return d;
}

function zeroRange(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
