// Where the harness keeps its files. Everything lives in the project's git-ignored `.cluster/`
// folder so that a developer can see (and delete) all of it, and so that `down` knows where to look.
import * as path from 'node:path';

/** The repository root: harness/ sits directly under it. */
export const projectRoot = path.resolve(__dirname, '..');

export interface ClusterPaths {
  /** `.cluster/` itself. */
  dir: string;
  /** The cluster definition file that users and the cluster core read. */
  definition: string;
  sshConfig: string;
  knownHosts: string;
  /** Private key of the client (the harness, tests, you) — its .pub is authorized on every machine. */
  identity: string;
  /** Harness bookkeeping: what exists, with which pids and paths. */
  state: string;
  lock: string;
  logs: string;
  /** Per-machine mount points (tmpfs holding the overlay upper layer, and the merged root). */
  machines: string;
  /** Per-machine folders on a real disk (Docker's overlay2 cannot sit on overlayfs). */
  disks: string;
  /** Kept across `down`: the built image tarball. */
  cache: string;
  schema: string;
}

export function clusterPaths(root: string = projectRoot): ClusterPaths {
  const dir = path.join(root, '.cluster');
  return {
    dir,
    definition: path.join(dir, 'cluster.json'),
    sshConfig: path.join(dir, 'ssh_config'),
    knownHosts: path.join(dir, 'known_hosts'),
    identity: path.join(dir, 'id_ed25519'),
    state: path.join(dir, 'state.json'),
    lock: path.join(dir, 'lock'),
    logs: path.join(dir, 'logs'),
    machines: path.join(dir, 'machines'),
    disks: path.join(dir, 'disks'),
    cache: path.join(dir, 'cache'),
    schema: path.join(root, 'schemas', 'cluster.schema.json'),
  };
}
