import { isEnvName } from '../commandLine';
import { rangeInValue } from '../unitFile/parser';
import { checkedExecLines, fixesFromData, type FixData } from './execSupport';
import type { Rule } from './rule';

/** Names the unit sets with Environment= (systemd substitutes those on purpose). */
function environmentNames(entries: Array<{ key: string; value: string }>): Set<string> {
  const names = new Set<string>();
  for (const a of entries) {
    if (a.key !== 'Environment') continue;
    for (const m of a.value.matchAll(/(?:^|\s)["']?([A-Za-z_][A-Za-z0-9_]*)=/g)) names.add(m[1]);
  }
  return names;
}

/**
 * `${f}` in `sh -c 'for f in *; do echo ${f}; done'`: systemd substitutes `${…}` itself before the
 * shell runs (its own environment, so usually an empty string), and `${#X}`, `${X/a/b}` become
 * empty. The quick fix writes `$${…}`, which systemd turns into `${…}` for the shell.
 */
export const systemdEnvExpansion: Rule = {
  code: 'systemd-env-expansion',
  defaultSeverity: 'warning',
  description: 'A ${VAR} that systemd expands before the shell runs although the script sets VAR itself, or a ${…} that is no variable name (${#X}, ${X/a/b}): it becomes empty. Write $${…}.',
  check(ctx) {
    const lines = checkedExecLines(ctx);
    let env: Set<string> | undefined;
    for (const { assignment: a, line } of lines) {
      for (const p of line.problems) {
        if (p.kind !== 'systemd-expands-variable') continue;
        const name = a.value.slice(p.offset + 2, p.offset + p.length - 1);
        if (isEnvName(name)) {
          env ??= environmentNames(ctx.file.sections.filter((s) => s.name === a.section).flatMap((s) => s.entries));
          if (env.has(name)) continue;
        }
        const data: FixData | undefined = p.fix ? { fixes: [{ title: p.fix.title, edits: [{ range: rangeInValue(a, p.fix.offset, p.fix.offset + p.fix.length), text: p.fix.text }] }] } : undefined;
        ctx.report({ range: rangeInValue(a, p.offset, p.offset + p.length), message: `${a.key}=: ${p.message}`, data });
      }
    }
  },
  fixes: fixesFromData,
};
