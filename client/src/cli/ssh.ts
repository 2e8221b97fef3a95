// ssh MACHINE|UNIT [COMMAND...] — a shell (or a command) on a machine, or on the machine of a unit.
import { ClusterError } from '../cluster/errors';
import { isValidUnitName } from '../cluster/names';
import { machinesOfUnit } from '../cluster/units';
import type { CliContext } from './context';

export async function sshVerb(ctx: CliContext): Promise<number> {
  const [target, ...command] = ctx.args.positional;
  if (!target) throw new ClusterError('usage', 'usage: unit-fleet ssh MACHINE|UNIT [COMMAND...]');
  let machine = target;
  if (!ctx.cluster.machineNames().includes(target)) {
    if (!isValidUnitName(target)) throw new ClusterError('not-found', `${target} is neither a machine of the cluster nor a unit name`);
    machine = (await machinesOfUnit(ctx.cluster, target))[0]!;
  }
  if (command.length > 0) {
    const { stream, exited } = await ctx.cluster.ssh.channel(machine, command);
    if (process.stdin.isTTY) stream.end();
    else process.stdin.pipe(stream);
    stream.pipe(process.stdout);
    stream.stderr.pipe(process.stderr);
    const status = await exited;
    return status.code ?? 255;
  }
  const client = await ctx.cluster.ssh.client(machine);
  const { columns = 80, rows = 24 } = process.stdout;
  return new Promise((resolve, reject) => {
    client.shell({ term: process.env.TERM ?? 'xterm-256color', cols: columns, rows }, (error, stream) => {
      if (error) return reject(new ClusterError('remote', `cannot open a shell on ${machine}: ${error.message}`));
      const raw = process.stdin.isTTY;
      if (raw) process.stdin.setRawMode(true);
      process.stdin.pipe(stream);
      stream.pipe(process.stdout);
      stream.stderr.pipe(process.stderr);
      const resize = () => stream.setWindow(process.stdout.rows ?? 24, process.stdout.columns ?? 80, 0, 0);
      process.stdout.on('resize', resize);
      let code = 0;
      stream.on('exit', (c: number | null) => (code = c ?? 0));
      stream.on('close', () => {
        if (raw) process.stdin.setRawMode(false);
        process.stdin.unpipe(stream);
        process.stdin.pause();
        process.stdout.off('resize', resize);
        resolve(code);
      });
    });
  });
}
