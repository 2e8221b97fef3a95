// etcd v3 keys as a tree, for people: one level at a time, keys only, with lazy paging. A level
// is read with a skip scan — after a key inside a sub-"directory" the next range starts past that
// whole directory — so the first level of a tree with 100,000 keys costs a handful of small range
// requests, not a read of every key.
import type { Lease } from 'etcd3';
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
  /** Keys fetched per range request (default 500). */
  batch?: number;
  /** Most key names read in one request when a span is full of directories (default 200,000). */
  wholeSpan?: number;
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

/** The entry of the level under `prefix` that `key` belongs to. */
function entryOf(prefix: string, key: string): KeyEntry {
  const rest = key.slice(prefix.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? { key, name: rest, dir: false } : { key: prefix + rest.slice(0, slash + 1), name: rest.slice(0, slash + 1), dir: true };
}

/**
 * One level under `prefix` (use '/' for the top), a page at a time, keys only.
 *
 * Runs of plain keys are read `batch` at a time. After a key inside a sub-directory the scan
 * skips the rest of that directory — but etcd (3.4) walks every key between a range request's
 * bounds to answer it, limit or not, so a skip costs as much as reading the span. Hence, when a
 * directory-heavy span holds many keys, its keys (names only) are read in one request of up to
 * `wholeSpan` keys and grouped here: the first level of 100 directories × 1,000 keys costs two
 * requests instead of a hundred, with memory bounded by `wholeSpan` key names.
 */
export async function listLevel(cluster: Cluster, prefix: string, options: ListOptions = {}): Promise<KeyPage> {
  const limit = options.limit ?? 500;
  const batch = options.batch ?? 500;
  const wholeSpan = options.wholeSpan ?? 200_000;
  const everything = prefix === '';
  const hi = everything ? Buffer.from([0]) : prefixEnd(prefix);
  let from = options.after !== undefined ? after(options.after, prefix) : Buffer.from(prefix);
  const entries: KeyEntry[] = [];
  const seen = new Set<string>();
  const range = (start: Buffer, n: number) => cluster.etcdCall('range of keys', (etcd) => etcd.kv.range({ key: start, range_end: hi, limit: String(n), keys_only: true }));
  /** Adds the entry of `key`; returns where to read on (past a directory, or past the key). */
  const add = (key: Buffer): { next: Buffer; dir: boolean } => {
    const entry = entryOf(prefix, key.toString('utf8'));
    if (!seen.has(entry.key)) {
      seen.add(entry.key);
      entries.push(entry);
    }
    return entry.dir ? { next: prefixEnd(entry.key), dir: true } : { next: Buffer.concat([key, Buffer.from([0])]), dir: false };
  };
  const page = (): KeyPage => (entries.length > limit ? { prefix, entries: entries.slice(0, limit), next: entries[limit - 1]!.key } : { prefix, entries });
  const past = (b: Buffer) => !everything && Buffer.compare(b, hi) >= 0;
  while (!past(from)) {
    const response = await range(from, batch);
    let jumped = false;
    let used = 0;
    for (const kv of response.kvs) {
      const step = add(kv.key);
      used++;
      from = step.next;
      if (step.dir) {
        jumped = true;
        break;
      }
    }
    if (entries.length > limit) return page();
    if (!jumped && response.kvs.length < batch) return page();
    if (jumped && Number(response.count) - used > batch && !past(from)) {
      // A directory-heavy span: read its key names in one request (etcd walks the span anyway)
      // and group them here.
      const all = (await range(from, wholeSpan)).kvs;
      let read = 0;
      let last: Buffer | undefined;
      for (const kv of all) {
        read++;
        last = kv.key;
        if (Buffer.compare(kv.key, from) < 0) continue;
        from = add(kv.key).next;
        if (entries.length > limit) return page();
      }
      if (read < wholeSpan || !last) return page();
    }
  }
  return page();
}

function after(key: string, prefix: string): Buffer {
  // A directory entry: continue past all of it; a leaf: right after it.
  if (key.endsWith('/') && key.length > prefix.length) return prefixEnd(key);
  return Buffer.concat([Buffer.from(key), Buffer.from([0])]);
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
