// `status`: what the state file says, checked against reality.
import * as fs from 'node:fs';
import { context, type CommonOptions } from './context';
import { memberHealthy } from './etcd';
import { machineRunning, tcpOpen } from './machines';
import { readState, type ClusterOptions, type MachineState } from './state';

export interface MachineStatusReport {
  name: string;
  address: string;
  status: MachineState['status'];
  running: boolean;
  partitioned: boolean;
  pid?: number;
  metadata: Record<string, string>;
  sshReachable: boolean;
  etcdHealthy: boolean;
}

export interface StatusReport {
  up: boolean;
  definitionFile?: string;
  sshConfig?: string;
  options?: ClusterOptions;
  machines: MachineStatusReport[];
}

/** What the state file says, checked against reality (processes, sshd port, etcd /health). */
export async function status(options: CommonOptions = {}): Promise<StatusReport> {
  const { paths } = context(options);
  const state = readState(paths.state);
  if (!state) return { up: false, machines: [] };
  const machines = await Promise.all(
    state.machines.map(async (machine): Promise<MachineStatusReport> => {
      const running = machineRunning(machine.name);
      const [sshReachable, etcdHealthy] = running
        ? await Promise.all([tcpOpen(machine.address, 22, 500), memberHealthy(machine.address, 1000)])
        : [false, false];
      return {
        name: machine.name,
        address: machine.address,
        status: machine.status,
        running,
        partitioned: machine.partitioned,
        pid: running ? machine.pid : undefined,
        metadata: machine.metadata,
        sshReachable,
        etcdHealthy,
      };
    }),
  );
  return {
    up: machines.some((m) => m.running),
    definitionFile: fs.existsSync(paths.definition) ? paths.definition : undefined,
    sshConfig: fs.existsSync(paths.sshConfig) ? paths.sshConfig : undefined,
    options: state.options,
    machines,
  };
}
