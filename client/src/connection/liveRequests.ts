// The language server's questions about the connected cluster (server/src/protocol.ts): machines
// for MachineID=/MachineMetadata= and live etcd keys for key completion. Answered from the
// connection (the machines from its latest snapshot); empty lists when there is none. Answers
// are bounded in time: completion must not wait on a slow cluster.
import type { LiveMachine } from '../../../server/src/language/live';
import type { ClusterConnection } from './connection';

const KEY_TIMEOUT_MS = 1_500;
const MAX_KEYS = 1_000;

export function liveMachines(connection: ClusterConnection): LiveMachine[] {
  const snapshot = connection.snapshot;
  if (!connection.isConnected || !snapshot) return [];
  return snapshot.machines
    .filter((m) => m.machineId)
    .map((m) => ({ machineId: m.machineId!, hostname: m.hostname ?? m.name, metadata: { ...m.metadata } }));
}

export async function liveEtcdKeys(connection: ClusterConnection, params: { prefix?: string; limit?: number }): Promise<string[]> {
  const c = connection.current;
  if (!c || typeof params?.prefix !== 'string') return [];
  const limit = Math.max(1, Math.min(MAX_KEYS, Math.floor(params.limit ?? 100)));
  const prefix = params.prefix;
  const read = c.cluster.etcdCall('read of keys for completion', (etcd) => (prefix === '' ? etcd.getAll().limit(limit).keys() : etcd.getAll().prefix(prefix).limit(limit).keys()));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), KEY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([read.catch(() => [] as string[]), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
