// Shared plumbing of the `fleet-*` rules: each file rule reports one kind of problem found by
// the pure [X-Fleet] checker (../fleet/validate.ts) and offers the edits it proposes.
import { DiagnosticTag } from 'vscode-languageserver-types';
import { quickFix, replace } from '../features/edits';
import { fleetProblems, type FleetEdit, type FleetProblemCode } from '../fleet/validate';
import type { Rule, Severity } from './rule';

export interface FleetRuleSpec {
  code: string;
  problem: FleetProblemCode;
  defaultSeverity: Severity;
  description: string;
}

interface FixData {
  fleetFixes?: FleetEdit[];
}

export function fleetFileRule(spec: FleetRuleSpec): Rule {
  return {
    code: spec.code,
    defaultSeverity: spec.defaultSeverity,
    description: spec.description,
    check(ctx) {
      for (const p of fleetProblems(ctx.file, ctx.name)) {
        if (p.code !== spec.problem) continue;
        ctx.report({
          range: p.range,
          message: p.message,
          tags: p.deprecated ? [DiagnosticTag.Deprecated] : undefined,
          related: p.related?.map((r) => ({ location: { uri: ctx.uri, range: r.range }, message: r.message })),
          data: p.fixes && p.fixes.length > 0 ? ({ fleetFixes: p.fixes } satisfies FixData) : undefined,
        });
      }
    },
    fixes(diagnostic, ctx) {
      const fixes = (diagnostic.data as FixData | undefined)?.fleetFixes ?? [];
      return fixes.map((f, i) => quickFix(f.title, ctx.uri, [replace(f.range, f.newText)], diagnostic, i === 0));
    },
  };
}
