// The cluster definition file (`.cluster/cluster.json` for the local cluster). Its format is the one
// real users write for their own clusters; schemas/cluster.schema.json is the reference. The harness writes absolute paths; users may write paths relative to the file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ETCD_PREFIX } from './etcd';
import type { ClusterPaths } from './paths';
import type { ClusterState } from './state';
import { etcdClientUrl } from './topology';
import type { ClusterDefinitionFile } from '../client/src/cluster/definition';

// The types are the cluster core's: the harness writes exactly the file real users write.
export type { MachineDefinition } from '../client/src/cluster/definition';

/** The definition file as the harness writes it (with a `$schema` link for editors). */
export interface ClusterDefinition extends ClusterDefinitionFile {
  $schema?: string;
}

export const SSH_CONNECT_TIMEOUT_MS = 5_000;

export function localDefinition(state: ClusterState, paths: ClusterPaths): ClusterDefinition {
  return {
    $schema: path.relative(paths.dir, paths.schema),
    name: 'local',
    description: 'Local test cluster made by the Unit Fleet harness (npm run cluster:up); gone after npm run cluster:down.',
    machines: state.machines.map((machine) => ({
      name: machine.name,
      host: machine.address,
      port: 22,
      user: 'root',
      identityFile: paths.identity,
      machineId: machine.machineId,
      metadata: { ...machine.metadata },
    })),
    ssh: {
      knownHostsFile: paths.knownHosts,
      strictHostKeyChecking: true,
      connectTimeoutMs: SSH_CONNECT_TIMEOUT_MS,
      configFile: paths.sshConfig,
    },
    etcd: {
      endpoints: state.machines.map((machine) => etcdClientUrl(machine.address)),
      prefix: ETCD_PREFIX,
      v2: state.options.etcdV2,
    },
    docker: { enabled: state.options.docker, socketPath: '/var/run/docker.sock' },
  };
}

export function writeDefinition(file: string, definition: ClusterDefinition): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(definition, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
