// etcd v3 keys as a tree, for people: one level at a time, keys only, with lazy paging. A level
// is read with a skip scan — after a key inside a sub-"directory" the next range starts past that
// whole directory — so the first level of a tree with 100,000 keys costs a handful of small range
// requests, not a read of every key.
import type { Etcd3, IKeyValue, Lease } from 'etcd3';
import type { Cluster } from '../cluster';
import { ClusterError } from '../errors';
import { assertEtcdKey } from '../names';

export interface KeyEntry {
  /** Full key (for directories: the prefix ending in '/'). */
  key: string;
  /** The last segment (directories end in '/'). */
  name: string;
  dir: boolean;
}

export interface KeyPage {
  prefix: string;
  entries: KeyEntry[];
  /** Pass as `after` to get the next page; undefined when the level is complete. */
  next?: string;
}

export interface ListOptions {
  /** Most entries in one page (default 500). */
  limit?: number;
  /** Continue after this key (from the previous page's `next`). */
  after?: string;
  /** Keys fetched per range request (default 200). */
  batch?: number;
}

/** The key right after every key that starts with `prefix`. */
export function prefixEnd(prefix: string): Buffer {
  const b = Buffer.from(prefix);
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i]! < 0xff) {
      const end = Buffer.from(b.subarray(0, i + 1));
      end[i]! += 1;
      return end;
    }
  }
  return Buffer.from([0]);
}

/** One level under `prefix` (use '/' or '' for the top). */
export async function listLevel(cluster: Cluster, prefix: string, options: ListOptions = {}): Promise<KeyPage> {
  const limit = options.limit ?? 500;
  const batch = options.batch ?? 200;
  const end = prefix === '' ? Buffer.from([0]) : prefixEnd(prefix);
  let from: Buffer = options.after !== undefined ? after(options.after, prefix) : Buffer.from(prefix);
  const entries: KeyEntry[] = [];
  const seen = new Set<string>();
  const wholeKeyspace = end.length === 1 && end[0] === 0;
  for (;;) {
    const kvs = await cluster.etcdCall('range of keys', (etcd) => rangeKeys(etcd, from, end, batch));
    let resume: Buffer | undefined;
    let broke = false;
    for (const kv of kvs) {
      const key = kv.key.toString('utf8');
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf('/');
      const entry: KeyEntry = slash < 0 ? { key, name: rest, dir: false } : { key: prefix + rest.slice(0, slash + 1), name: rest.slice(0, slash + 1), dir: true };
      if (!seen.has(entry.key)) {
        if (entries.length >= limit) return { prefix, entries, next: entries[entries.length - 1]!.key };
        seen.add(entry.key);
        entries.push(entry);
      }
      if (entry.dir) {
        // Skip the rest of the directory: its prefix with the last '/' turned into '0'.
        resume = prefixEnd(entry.key);
        broke = true;
        break;
      }
      resume = Buffer.concat([kv.key, Buffer.from([0])]);
    }
    if (!resume || (kvs.length < batch && !broke)) return { prefix, entries };
    if (!wholeKeyspace && Buffer.compare(resume, end) >= 0) return { prefix, entries };
    from = resume;
  }
}

function after(key: string, prefix: string): Buffer {
  // A directory entry: continue past all of it; a leaf: right after it.
  if (key.endsWith('/') && key.length > prefix.length) return prefixEnd(key);
  return Buffer.concat([Buffer.from(key), Buffer.from([0])]);
}

async function rangeKeys(etcd: Etcd3, from: Buffer, end: Buffer, limit: number): Promise<IKeyValue[]> {
  const response = await etcd.kv.range({ key: from, range_end: end, limit: String(limit), keys_only: true, sort_order: 'Ascend', sort_target: 'Key' });
  return response.kvs;
}

export interface KeyValue {
  key: string;
  value: string;
  createRevision: string;
  modRevision: string;
  version: string;
  lease: string;
  /** Remaining time to live of its lease (s), when it has one. */
  ttl?: number;
}

export async function getKey(cluster: Cluster, key: string): Promise<KeyValue> {
  assertEtcdKey(key);
  const response = await cluster.etcdCall('get', (etcd) => etcd.get(key).exec());
  const kv = response.kvs[0];
  if (!kv) throw new ClusterError('not-found', `no key ${key} in etcd (v3)`);
  const result: KeyValue = {
    key,
    value: kv.value.toString('utf8'),
    createRevision: kv.create_revision,
    modRevision: kv.mod_revision,
    version: kv.version,
    lease: kv.lease,
  };
  if (kv.lease !== '0') {
    const ttl = await cluster.etcdCall('lease time-to-live', (etcd) => etcd.leaseClient.leaseTimeToLive({ ID: kv.lease })).catch(() => undefined);
    if (ttl) result.ttl = Number(ttl.TTL);
  }
  return result;
}

/** Puts a key; with ttlSeconds, under a new lease of that TTL (the key disappears when it runs out). */
export async function setKey(cluster: Cluster, key: string, value: string, ttlSeconds?: number): Promise<void> {
  assertEtcdKey(key);
  if (ttlSeconds === undefined) {
    await cluster.etcdCall('put', (etcd) => etcd.put(key).value(value).exec());
    return;
  }
  await cluster.etcdCall('put with a lease', async (etcd) => {
    const grant = await etcd.leaseClient.leaseGrant({ TTL: String(ttlSeconds), ID: '0' });
    await etcd.put(key).value(value).lease(grant.ID).exec();
  });
}

/** Deletes a key, or every key under it with `prefix`. Returns how many were deleted. */
export async function removeKey(cluster: Cluster, key: string, prefix = false): Promise<number> {
  assertEtcdKey(key);
  const response = await cluster.etcdCall('delete', (etcd) => (prefix ? etcd.delete().prefix(key).exec() : etcd.delete().key(key).exec()));
  return Number(response.deleted);
}

export interface KeyEvent {
  type: 'put' | 'delete';
  key: string;
  value?: string;
  modRevision: string;
}

/** Watches a key or prefix; returns a function that stops watching. */
export async function watchKeys(cluster: Cluster, key: string, onEvent: (event: KeyEvent) => void, options: { prefix?: boolean; onError?: (error: Error) => void } = {}): Promise<() => Promise<void>> {
  assertEtcdKey(key);
  const builder = cluster.etcd.watch();
  const watcher = await cluster.etcdCall('watch', () => (options.prefix ? builder.prefix(key) : builder.key(key)).create());
  watcher.on('put', (kv) => onEvent({ type: 'put', key: kv.key.toString('utf8'), value: kv.value.toString('utf8'), modRevision: kv.mod_revision }));
  watcher.on('delete', (kv) => onEvent({ type: 'delete', key: kv.key.toString('utf8'), modRevision: kv.mod_revision }));
  watcher.on('error', (error) => options.onError?.(error));
  return () => watcher.cancel();
}

export type { Lease };
