// The etcd v2 key space over HTTP (/v2/keys), for clusters that still serve it (etcd
// --enable-v2): a separate key space from v3, used by units with `ETCDCTL_API=2 etcdctl set`.
import * as http from 'node:http';
import * as https from 'node:https';
import * as fs from 'node:fs';
import type { Cluster } from '../cluster';
import { ClusterError } from '../errors';
import { assertEtcdKey } from '../names';

export interface V2Node {
  key: string;
  dir?: boolean;
  value?: string;
  ttl?: number;
  expiration?: string;
  modifiedIndex?: number;
  createdIndex?: number;
  nodes?: V2Node[];
}

interface V2Response {
  action?: string;
  node?: V2Node;
  prevNode?: V2Node;
  errorCode?: number;
  message?: string;
  cause?: string;
}

function request(cluster: Cluster, method: string, key: string, query: Record<string, string>, form?: Record<string, string>, timeoutMs = 5_000): Promise<V2Response> {
  const config = cluster.config;
  if (!config.etcd.v2) throw new ClusterError('usage', `the cluster definition does not enable the etcd v2 API (etcd.v2: true)`);
  assertEtcdKey(key);
  const path = `/v2/keys${key.startsWith('/') ? '' : '/'}${key.split('/').map(encodeURIComponent).join('/')}`;
  const qs = new URLSearchParams(query).toString();
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const headers: Record<string, string> = {};
  if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
  if (config.etcd.username) {
    const password = config.etcd.passwordEnv ? cluster.options.secrets.env[config.etcd.passwordEnv] : undefined;
    headers.authorization = `Basic ${Buffer.from(`${config.etcd.username}:${password ?? ''}`).toString('base64')}`;
  }
  const attempt = (endpoint: string) =>
    new Promise<V2Response>((resolve, reject) => {
      const url = new URL(`${endpoint}${path}${qs ? `?${qs}` : ''}`);
      const lib = url.protocol === 'https:' ? https : http;
      const tls = url.protocol === 'https:' && config.etcd.caFile ? { ca: fs.readFileSync(config.etcd.caFile), cert: config.etcd.certFile ? fs.readFileSync(config.etcd.certFile) : undefined, key: config.etcd.keyFile ? fs.readFileSync(config.etcd.keyFile) : undefined } : {};
      const req = lib.request(url, { method, headers, timeout: timeoutMs, ...tls }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          if (res.statusCode === 401) return reject(new ClusterError('etcd-auth', `etcd v2 at ${endpoint} refused the user name or password`));
          try {
            resolve(JSON.parse(text) as V2Response);
          } catch {
            if (res.statusCode === 404) reject(new ClusterError('etcd', `etcd at ${endpoint} does not serve the v2 API (started without --enable-v2?)`));
            else reject(new ClusterError('etcd', `etcd v2 at ${endpoint} answered ${res.statusCode}: ${text.slice(0, 200)}`));
          }
        });
      });
      req.on('timeout', () => req.destroy(new ClusterError('timeout', `etcd v2 at ${endpoint} did not answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      if (body) req.end(body);
      else req.end();
    });
  return (async () => {
    let last: unknown;
    for (const endpoint of config.etcd.endpoints) {
      try {
        const response = await attempt(endpoint);
        if (response.errorCode === 100) throw new ClusterError('not-found', `no key ${key} in etcd (v2)`);
        if (response.errorCode !== undefined) throw new ClusterError('etcd', `etcd v2: ${response.message ?? 'error'}${response.cause ? ` (${response.cause})` : ''}`);
        return response;
      } catch (error) {
        if (error instanceof ClusterError && error.kind !== 'timeout' && error.kind !== 'unreachable') throw error;
        last = error;
      }
    }
    throw last instanceof ClusterError ? last : new ClusterError('unreachable', `no etcd member answered the v2 request (${(last as Error)?.message ?? 'unknown error'})`);
  })();
}

/** One directory level of the v2 key space. */
export async function listV2(cluster: Cluster, dir: string): Promise<V2Node[]> {
  const response = await request(cluster, 'GET', dir, { sorted: 'true' });
  return response.node?.nodes ?? (response.node && !response.node.dir ? [response.node] : []);
}

export async function getV2(cluster: Cluster, key: string): Promise<V2Node> {
  const response = await request(cluster, 'GET', key, {});
  return response.node!;
}

export async function setV2(cluster: Cluster, key: string, value: string, ttlSeconds?: number): Promise<V2Node> {
  const form: Record<string, string> = { value };
  if (ttlSeconds !== undefined) form.ttl = String(ttlSeconds);
  return (await request(cluster, 'PUT', key, {}, form)).node!;
}

export async function removeV2(cluster: Cluster, key: string, recursive = false): Promise<void> {
  await request(cluster, 'DELETE', key, recursive ? { recursive: 'true' } : {});
}

/** Waits for the next change at or under `key` (long poll); returns the change. */
export async function waitV2(cluster: Cluster, key: string, afterIndex?: number, timeoutMs = 3_600_000): Promise<V2Response> {
  const query: Record<string, string> = { wait: 'true', recursive: 'true' };
  if (afterIndex !== undefined) query.waitIndex = String(afterIndex + 1);
  return request(cluster, 'GET', key, query, undefined, timeoutMs);
}
