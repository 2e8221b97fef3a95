// A diagnostic rule: a stable code, a default severity users can override, a check over one
// parsed file, and (optionally) the quick fixes for the diagnostics it reports.
import type { CodeAction, Diagnostic, DiagnosticRelatedInformation, DiagnosticTag, Range } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { UnitFile } from '../unitFile/ast';
import type { UnitFileName } from '../unitFile/unitName';

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
  report(finding: Finding): void;
}

export interface FixContext {
  uri: string;
  document: TextDocument;
  file: UnitFile;
  name: UnitFileName;
}

export interface Rule {
  /** Stable identifier shown in the Problems panel and used in settings. */
  code: string;
  defaultSeverity: Severity;
  /** One line for the settings documentation. */
  description: string;
  check(ctx: RuleContext): void;
  fixes?(diagnostic: Diagnostic, ctx: FixContext): CodeAction[];
}

export const DIAGNOSTIC_SOURCE = 'unit-fleet';
