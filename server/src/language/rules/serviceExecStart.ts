import type { Assignment } from '../unitFile/ast';
import type { Rule } from './rule';

function lastValue(entries: Assignment[], key: string): string | undefined {
  let v: string | undefined;
  for (const a of entries) if (a.key === key) v = a.value;
  return v;
}

/** ExecStart= lines that survive resets (an empty ExecStart= clears the list). */
function effectiveExecStarts(entries: Assignment[]): Assignment[] {
  let list: Assignment[] = [];
  for (const a of entries) {
    if (a.key !== 'ExecStart') continue;
    list = a.value === '' ? [] : [...list, a];
  }
  return list;
}

/**
 * systemd refuses to load a service without ExecStart= unless it is Type=oneshot with ExecStop=
 * or SuccessAction=; and only oneshot services may have several ExecStart= lines. Drop-ins are
 * exempt: they amend a unit whose other parts live elsewhere.
 */
export const serviceExecStart: Rule = {
  code: 'missing-exec-start',
  defaultSeverity: 'error',
  description: 'A .service that systemd refuses to load for lack of ExecStart= (or with several ExecStart= when not Type=oneshot).',
  check(ctx) {
    if (ctx.name.type !== 'service' || ctx.name.dropIn) return;
    const service = ctx.file.sections.filter((s) => s.name === 'Service');
    const unit = ctx.file.sections.filter((s) => s.name === 'Unit');
    const entries = service.flatMap((s) => s.entries);
    const starts = effectiveExecStarts(entries);
    const hasStop = entries.some((a) => a.key === 'ExecStop' && a.value !== '');
    const successAction = lastValue(unit.flatMap((s) => s.entries), 'SuccessAction');
    const hasSuccessAction = successAction !== undefined && successAction !== '' && successAction !== 'none';
    const type = lastValue(entries, 'Type') || undefined;
    const anchor = service[0]?.nameRange ?? ctx.file.sections[0]?.nameRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (starts.length === 0) {
      if (!hasStop && !hasSuccessAction) {
        ctx.report({ range: anchor, message: 'This service has no ExecStart=, ExecStop= or SuccessAction=: systemd refuses to load it. Add ExecStart=/path/to/program.' });
      } else if (type !== undefined && type !== 'oneshot') {
        ctx.report({ range: anchor, message: `This service has no ExecStart=, which systemd only allows for Type=oneshot (it is Type=${type}): systemd refuses to load it.` });
      }
    } else if (starts.length > 1 && (type ?? 'simple') !== 'oneshot') {
      ctx.report({
        range: starts[1].keyRange,
        message: `More than one ExecStart= is only allowed for Type=oneshot services${type ? ` (this one is Type=${type})` : ''}: systemd refuses to load this unit. Use ExecStartPre=/ExecStartPost= or Type=oneshot.`,
      });
    }
  },
};
