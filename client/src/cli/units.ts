// submit, load, start, stop, unload, destroy, restart, list-units, list-unit-files, cat, status
import * as deploy from '../cluster/deploy';
import type { LifecycleResult } from '../cluster/deploy';
import { ClusterError, EXIT_CODES } from '../cluster/errors';
import { catUnit, listUnits, unitStatusText } from '../cluster/units';
import type { CliContext } from './context';
import { printJson, table } from './output';

function needUnits(ctx: CliContext): string[] {
  if (ctx.args.positional.length === 0) throw new ClusterError('usage', 'name at least one unit (a unit file path or a unit name)');
  return ctx.args.positional;
}

function report(ctx: CliContext, verb: string, result: LifecycleResult): number {
  if (ctx.json) printJson(result);
  else {
    for (const u of result.units) {
      const where = u.machines.length > 0 ? ` on ${u.machines.join(', ')}` : '';
      const live = u.active ? ` (${u.active}${u.sub ? `/${u.sub}` : ''})` : '';
      ctx.out(`${u.name}: ${u.desired}${where}${live}\n`);
    }
  }
  for (const u of result.unschedulable) process.stderr.write(`unit-fleet ${verb}: ${u.unit} cannot be placed: ${u.reasons.join('; ')}\n`);
  for (const f of result.failures) process.stderr.write(`unit-fleet ${verb}: ${f.error ?? `${f.machine} failed`} — the desired state is recorded; run the command again or unit-fleet reconcile\n`);
  if (result.unschedulable.length > 0) return EXIT_CODES.unschedulable;
  if (result.failures.length > 0) {
    const kind = result.failures[0]!.errorKind;
    return kind === 'unreachable' || kind === 'timeout' ? EXIT_CODES.unreachable : kind === 'host-key' ? EXIT_CODES['host-key'] : EXIT_CODES.remote;
  }
  return 0;
}

export function lifecycleVerb(verb: 'submit' | 'load' | 'start' | 'stop' | 'unload' | 'destroy' | 'restart') {
  return async (ctx: CliContext): Promise<number> => {
    const args = needUnits(ctx);
    const started = Date.now();
    const result = await deploy[verb](ctx.cluster, args);
    ctx.progress(`${verb}: ${result.units.length} unit(s) in ${Date.now() - started} ms`);
    return report(ctx, verb, result);
  };
}

export async function listUnitsVerb(ctx: CliContext): Promise<number> {
  const units = (await listUnits(ctx.cluster)).filter((u) => u.desired !== 'inactive');
  if (ctx.json) printJson(units);
  else {
    const rows = units.flatMap((u) =>
      (u.states.length > 0 ? u.states : [{ machine: u.machines[0] ?? '-', load: '-', active: '-', sub: '-' }]).map((s) => ({ u, s })),
    );
    ctx.out(
      table(rows, [
        { title: 'unit', value: (r) => r.u.name },
        { title: 'machine', value: (r) => r.s.machine },
        { title: 'desired', value: (r) => r.u.desired },
        { title: 'active', value: (r) => ('error' in r.s ? 'unknown' : r.s.active) },
        { title: 'sub', value: (r) => ('error' in r.s ? r.s.error : r.s.sub) },
      ]),
    );
  }
  return 0;
}

export async function listUnitFilesVerb(ctx: CliContext): Promise<number> {
  const units = await listUnits(ctx.cluster, { live: false });
  if (ctx.json) printJson(units.map(({ states: _states, ...u }) => u));
  else {
    ctx.out(
      table(units, [
        { title: 'unit', value: (u) => u.name },
        { title: 'hash', value: (u) => u.hash.slice(0, 7) },
        { title: 'desired', value: (u) => u.desired },
        { title: 'machine', value: (u) => u.machines.join(',') || '-' },
        { title: 'template', value: (u) => u.template ?? '-' },
      ]),
    );
  }
  return 0;
}

export async function catVerb(ctx: CliContext): Promise<number> {
  for (const name of needUnits(ctx)) ctx.out(await catUnit(ctx.cluster, name));
  return 0;
}

export async function statusVerb(ctx: CliContext): Promise<number> {
  let code = 0;
  for (const name of needUnits(ctx)) {
    for (const s of await unitStatusText(ctx.cluster, name)) {
      if (ctx.json) printJson(s);
      else ctx.out(`● ${name} on ${s.machine}\n${s.text}\n`);
      if (s.code !== 0) code = EXIT_CODES.remote;
    }
  }
  return code;
}
