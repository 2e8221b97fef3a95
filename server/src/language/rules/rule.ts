// A diagnostic rule: a stable code, a default severity users can override, a check over one
// parsed file, and (optionally) the quick fixes for the diagnostics it reports.
import type { CodeAction, Diagnostic, DiagnosticRelatedInformation, DiagnosticTag, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { UnitFile } from '../unitFile/ast';
import type { UnitFileName } from '../unitFile/unitName';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { LanguageSettings } from '../settings';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface Finding {
  range: Range;
  message: string;
  tags?: DiagnosticTag[];
  related?: DiagnosticRelatedInformation[];
  /** Rule-specific payload that travels with the diagnostic to its quick fixes. */
  data?: unknown;
}

export interface RuleContext {
  uri: string;
  file: UnitFile;
  name: UnitFileName;
  /** The other unit files of the workspace (only `scope: 'workspace'` rules may read it). */
  workspace: WorkspaceIndex;
  settings: LanguageSettings;
  report(finding: Finding): void;
}

export interface FixContext {
  uri: string;
  document: TextDocument;
  file: UnitFile;
  name: UnitFileName;
  workspace: WorkspaceIndex;
  settings: LanguageSettings;
}

export interface Rule {
  /** Stable identifier shown in the Problems panel and used in settings. */
  code: string;
  defaultSeverity: Severity;
  /**
   * `file` (default): the result depends only on this file, so it is cached per document version.
   * `workspace`: it also reads other files, so it re-runs when any file changes.
   */
  scope?: 'file' | 'workspace';
  /** One line for the settings documentation. */
  description: string;
  check(ctx: RuleContext): void;
  fixes?(diagnostic: Diagnostic, ctx: FixContext): CodeAction[];
}

export const DIAGNOSTIC_SOURCE = 'unit-fleet';
