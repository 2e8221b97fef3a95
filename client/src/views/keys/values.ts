// Values, leases and TTLs of the leaf keys on one page of the etcd Keys view, in as few round trips
// as possible: one transaction of range reads per 64 keys, and one TimeToLive per distinct lease
// (at most 32). The core's listLevel reads keys only; this fills the previews.
import type { Cluster } from '../../cluster/cluster';

export interface LeafValue {
  value: string;
  lease: string;
  modRevision: string;
  version: string;
  /** Remaining TTL (s) of the lease when read. */
  ttl?: number;
  /** The lease's granted TTL (s). */
  grantedTtl?: number;
}

const PER_TXN = 64;
const MAX_LEASES = 32;

export async function readLeafValues(cluster: Cluster, keys: readonly string[]): Promise<Map<string, LeafValue>> {
  const values = new Map<string, LeafValue>();
  for (let i = 0; i < keys.length; i += PER_TXN) {
    const chunk = keys.slice(i, i + PER_TXN);
    const response = await cluster.etcdCall('read of key values', (etcd) =>
      etcd.kv.txn({ compare: [], success: chunk.map((key) => ({ request_range: { key: Buffer.from(key) } })), failure: [] }),
    );
    response.responses.forEach((r, n) => {
      const kv = r.response_range?.kvs?.[0];
      if (kv) values.set(chunk[n]!, { value: kv.value.toString('utf8'), lease: kv.lease, modRevision: kv.mod_revision, version: kv.version });
    });
  }
  const leases = [...new Set([...values.values()].map((v) => v.lease).filter((l) => l !== '0'))].slice(0, MAX_LEASES);
  const ttls = new Map<string, { ttl: number; granted: number }>();
  await Promise.all(
    leases.map(async (id) => {
      const answer = await cluster.etcdCall('lease time-to-live', (etcd) => etcd.leaseClient.leaseTimeToLive({ ID: id })).catch(() => undefined);
      if (answer) ttls.set(id, { ttl: Number(answer.TTL), granted: Number(answer.grantedTTL) });
    }),
  );
  for (const v of values.values()) {
    const t = ttls.get(v.lease);
    if (t) {
      v.ttl = t.ttl;
      v.grantedTtl = t.granted;
    }
  }
  return values;
}

/** One line, at most `max` characters, for a tree item's description. */
export function preview(value: string, max = 60): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Lease ids are shown in hex, as etcdctl does. */
export function leaseHex(lease: string): string {
  try {
    return BigInt(lease).toString(16);
  } catch {
    return lease;
  }
}
