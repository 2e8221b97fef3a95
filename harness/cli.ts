// Command line of the harness: `npm run cluster -- <verb> [args]` (needs root; see harness/README.md).
import { spawnSync } from 'node:child_process';
import { canRunCluster, clusterPaths, down, heal, kill, partition, readState, start, status, stop, up } from './index';

const USAGE = `usage: npm run cluster -- <verb> [args]   (as root)

  up [--machines N] [--docker] [--etcd-v2]   make the local cluster (default 3 machines core-01..03)
  down                                       remove everything the cluster made
  status [--json]                            machines, processes, ssh and etcd health
  kill M                                     power cut (every process of M dies at once)
  stop M                                     graceful shutdown
  start M                                    boot M again (its disk is kept)
  partition M                                cut M off the network
  heal M                                     plug M back in
  ssh M [command…]                           ssh into M with the generated config
  check                                      can this host run the cluster? (says why not)
`;

function flagValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  args.splice(index, 2);
  return value;
}

function takeFlag(args: string[], name: string): boolean {
  const index = args.indexOf(name);
  if (index < 0) return false;
  args.splice(index, 1);
  return true;
}

function noMoreArgs(args: string[]): void {
  if (args.length > 0) throw new Error(`unexpected argument(s): ${args.join(' ')}`);
}

function machineArg(args: string[], verb: string): string {
  const name = args.shift();
  if (!name) throw new Error(`${verb} needs a machine name, e.g. ${verb} core-02`);
  noMoreArgs(args);
  return name;
}

const log = (line: string) => process.stderr.write(`[cluster] ${line}\n`);

async function main(argv: string[]): Promise<number> {
  const args = [...argv];
  const verb = args.shift();
  switch (verb) {
    case 'up': {
      const machines = flagValue(args, '--machines');
      const docker = takeFlag(args, '--docker');
      const etcdV2 = takeFlag(args, '--etcd-v2');
      noMoreArgs(args);
      const result = await up({ machines: machines === undefined ? undefined : Number(machines), docker, etcdV2, log });
      const phases = Object.entries(result.timings).map(([phase, ms]) => `${phase} ${ms} ms`).join(', ');
      log(`${result.reused ? 'already up' : 'up'} (${phases})`);
      process.stdout.write(`cluster definition: ${result.definitionFile}\nssh config: ${result.sshConfig}  (ssh -F ${result.sshConfig} ${result.state.machines[0]?.name})\n`);
      return 0;
    }
    case 'down': {
      noMoreArgs(args);
      const result = await down({ log });
      process.stdout.write(result.removed ? `down (${result.ms} ms)\n` : 'nothing to remove\n');
      return 0;
    }
    case 'status': {
      const json = takeFlag(args, '--json');
      noMoreArgs(args);
      const report = await status();
      if (json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else if (report.machines.length === 0) {
        process.stdout.write('no local cluster\n');
      } else {
        const rows = report.machines.map((m) => [
          m.name,
          m.address,
          m.running ? 'running' : m.status,
          m.partitioned ? 'partitioned' : 'connected',
          m.sshReachable ? 'ssh ok' : 'ssh -',
          m.etcdHealthy ? 'etcd ok' : 'etcd -',
          Object.entries(m.metadata).map(([k, v]) => `${k}=${v}`).join(','),
        ]);
        const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
        for (const row of rows) process.stdout.write(`${row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()}\n`);
        if (report.definitionFile) process.stdout.write(`cluster definition: ${report.definitionFile}\n`);
      }
      return 0;
    }
    case 'kill':
      await kill(machineArg(args, verb), { log });
      return 0;
    case 'stop': {
      const how = await stop(machineArg(args, verb), { log });
      process.stdout.write(`${how}\n`);
      return 0;
    }
    case 'start':
      await start(machineArg(args, verb), { log });
      return 0;
    case 'partition':
      await partition(machineArg(args, verb), { log });
      return 0;
    case 'heal':
      await heal(machineArg(args, verb), { log });
      return 0;
    case 'ssh': {
      const name = args.shift();
      if (!name) throw new Error('ssh needs a machine name');
      const paths = clusterPaths();
      if (!readState(paths.state)) throw new Error('no local cluster is up; run: npm run cluster:up');
      // Interactive: hand the terminal to ssh. The remaining arguments are passed as ssh's command.
      const result = spawnSync('ssh', ['-F', paths.sshConfig, name, ...(args.length > 0 ? ['--', ...args] : [])], { stdio: 'inherit' });
      return result.status ?? 1;
    }
    case 'check': {
      noMoreArgs(args);
      const readiness = canRunCluster();
      process.stdout.write(readiness.ok ? 'this host can run the local cluster\n' : `cannot run the local cluster: ${readiness.reason}\n`);
      return readiness.ok ? 0 : 1;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return verb === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown verb ${verb}\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`[cluster] error: ${error.message}\n`);
    process.exit(1);
  },
);
