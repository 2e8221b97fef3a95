import { specifierFor } from '../catalog/specifiers';
import { basename, effectiveArgv, type Word } from '../commandLine';
import { rangeInValue } from '../unitFile/parser';
import { checkedExecLines, fixesFromData, type FixData } from './execSupport';
import type { Rule } from './rule';

/** The format arguments of date, printf, stat and find, where `%x` is meant for the program. */
function formatWords(argv: Word[]): Word[] {
  if (argv.length === 0) return [];
  const args = argv.slice(1);
  switch (basename(argv[0].text)) {
    case 'date':
      return args.filter((w) => w.text.startsWith('+'));
    case 'printf': {
      let i = 0;
      if (args[i]?.text === '-v') i += 2;
      if (args[i]?.text === '--') i++;
      return args[i] ? [args[i]] : [];
    }
    case 'stat':
    case 'find':
      return args.filter((w, i) => {
        const prev = args[i - 1]?.text;
        return prev === '-c' || prev === '--format' || prev === '--printf' || prev === '-printf' || args[i - 2]?.text === '-fprintf' || /^(--format=|--printf=)/.test(w.text);
      });
    default:
      return [];
  }
}

/**
 * `date +%s` in a command line: `%s` is a systemd specifier (the user's shell), expanded when the
 * unit is loaded, so date never sees it. Known specifiers are silently expanded (unknown ones are
 * reported by unknown-specifier); the quick fix writes `%%s`.
 */
export const specifierInFormat: Rule = {
  code: 'specifier-in-format',
  defaultSeverity: 'warning',
  description: 'A % in a date/printf/stat/find format that systemd expands as a specifier before the program runs (date +%s gets the user shell). Write %% for a literal percent sign.',
  check(ctx) {
    for (const { assignment: a, line } of checkedExecLines(ctx)) {
      for (const command of line.commands) {
        for (const w of formatWords(effectiveArgv(command))) {
          const raw = a.value.slice(w.offset, w.offset + w.length);
          for (let i = 0; i < raw.length - 1; i++) {
            if (raw[i] !== '%') continue;
            const c = raw[i + 1];
            i++;
            if (c === '%' || !/[A-Za-z0-9]/.test(c)) continue;
            const spec = specifierFor(c);
            if (!spec || spec.specifier === '%%') continue;
            const offset = w.offset + i - 1;
            const data: FixData = { fixes: [{ title: `Write %%${c} for a literal "%${c}"`, edits: [{ range: rangeInValue(a, offset, offset), text: '%' }] }] };
            ctx.report({
              range: rangeInValue(a, offset, offset + 2),
              message: `${a.key}=: %${c} in this format is a systemd specifier (${spec.meaning}): systemd replaces it before ${basename(effectiveArgv(command)[0].text)} runs. Write %%${c} for a literal "%${c}".`,
              data,
            });
          }
        }
      }
    }
  },
  fixes: fixesFromData,
};
