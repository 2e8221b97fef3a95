// list-machines
import { shortId, table, printJson } from './output';
import type { CliContext } from './context';
import { EXIT_CODES } from '../cluster/errors';

export async function listMachinesVerb(ctx: CliContext): Promise<number> {
  const machines = await ctx.cluster.listMachines();
  if (ctx.json) printJson(machines);
  else {
    ctx.out(
      table(machines, [
        { title: 'machine', value: (m) => m.name },
        { title: 'id', value: (m) => shortId(m.machineId) },
        { title: 'address', value: (m) => m.host },
        { title: 'state', value: (m) => (m.alive ? (m.reachable && m.presence ? 'alive' : m.reachable ? 'alive (no lease)' : 'alive (no ssh)') : 'dead') },
        { title: 'systemd', value: (m) => m.systemdVersion ?? '-' },
        { title: 'units', value: (m) => String(m.units.length) },
        { title: 'metadata', value: (m) => Object.entries(m.metadata).map(([k, v]) => `${k}=${v}`).join(',') || '-' },
      ]),
    );
    for (const m of machines) if (m.error) ctx.progress(`${m.name}: ${m.error}`);
  }
  // A refused host key matters more than liveness (the lease may still say alive).
  if (machines.some((m) => m.errorKind === 'host-key')) return EXIT_CODES['host-key'];
  if (machines.some((m) => m.errorKind === 'auth')) return EXIT_CODES.auth;
  return machines.every((m) => m.alive) ? 0 : EXIT_CODES.unreachable;
}

/** join [MACHINE...]: installs the presence unit (done automatically by deploy and reconcile). */
export async function joinVerb(ctx: CliContext): Promise<number> {
  const names = ctx.args.positional.length > 0 ? ctx.args.positional : ctx.cluster.machineNames();
  for (const n of names) ctx.cluster.ssh.machine(n);
  const result = await ctx.cluster.join(names);
  if (ctx.json) printJson(result);
  else {
    for (const m of result.joined) ctx.out(`${m}: presence unit running\n`);
    for (const f of result.failed) ctx.out(`${f.machine}: ${f.error}\n`);
  }
  return result.failed.length === 0 ? 0 : 4;
}
