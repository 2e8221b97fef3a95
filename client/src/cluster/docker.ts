// Docker on the machines, through dockerode over each machine's pooled SSH connection: every
// HTTP request to the engine is a stream-local forward (direct-streamlocal) to its socket on the
// machine — no extra login, and the host key was checked when the connection opened. Containers
// are linked to the unit that runs them by the `--name` of the unit's `docker run` command line.
import Docker from 'dockerode';
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import type { Cluster } from './cluster';
import { ClusterError, messageOf } from './errors';
import { parseUnitFile } from '../../../server/src/language/unitFile/parser';
import { parseUnitNameStrict } from './names';
import { readState } from './state';

export interface ContainerInfo {
  machine: string;
  id: string;
  name: string;
  image: string;
  state: string;
  status: string;
  created: number;
  ports: string[];
  /** The unit that runs it (placed on this machine, whose docker run names this container). */
  unit?: string;
}

export interface MachineContainers {
  machine: string;
  containers: ContainerInfo[];
  error?: string;
}

const clients = new WeakMap<Cluster, Map<string, Docker>>();

/** A dockerode client for one machine, over its pooled SSH connection. */
export function dockerFor(cluster: Cluster, machine: string): Docker {
  if (!cluster.config.docker.enabled) throw new ClusterError('usage', `the cluster definition does not enable Docker (docker.enabled: true)`);
  cluster.ssh.machine(machine);
  let perCluster = clients.get(cluster);
  if (!perCluster) clients.set(cluster, (perCluster = new Map()));
  let docker = perCluster.get(machine);
  if (!docker) {
    const socketPath = cluster.config.docker.socketPath;
    const agent = new http.Agent({ keepAlive: false });
    (agent as unknown as { createConnection: (o: unknown, cb: (err: Error | null, s?: Duplex) => void) => Duplex }).createConnection = (_options, callback) => {
      // Returning nothing makes http wait for the callback, called once the SSH channel is open.
      cluster.ssh.client(machine).then(
        (client) =>
          client.openssh_forwardOutStreamLocal(socketPath, (error, channel) => {
            if (error) return callback(new ClusterError('remote', `cannot reach Docker on ${machine} at ${socketPath}: ${error.message}`));
            callback(null, channel as unknown as Duplex);
          }),
        (error: unknown) => callback(error as Error),
      );
      return undefined as unknown as Duplex;
    };
    // socketPath (with our agent, which ignores it): inside VS Code's extension host, http.request
    // is patched for proxy support and swaps the agent of requests to a host name, but leaves
    // requests with a socketPath alone.
    docker = new Docker({ socketPath, agent } as Docker.DockerOptions);
    perCluster.set(machine, docker);
  }
  return docker;
}

/** Expands the specifiers a container name in ExecStart typically uses. */
function expandSpecifiers(text: string, unit: string, hostname: string): string {
  const parts = parseUnitNameStrict(unit);
  const prefix = parts?.prefix ?? unit;
  const instance = parts?.instance ?? '';
  const map: Record<string, string> = { n: unit, N: unit.replace(/\.[^.]+$/, ''), p: prefix, P: prefix, i: instance, I: instance, H: hostname, l: hostname.split('.')[0]!, '%': '%' };
  return text.replace(/%(.)/g, (m, c: string) => map[c] ?? m);
}

/** Container names a unit's `docker run` lines give (`--name X`, `--name=X`). */
export function containerNamesOfUnit(unit: string, text: string, hostname: string): string[] {
  const names: string[] = [];
  const file = parseUnitFile(text);
  for (const section of file.sections) {
    if (section.name !== 'Service') continue;
    for (const entry of section.entries) {
      if (entry.key !== 'ExecStart') continue;
      const value = expandSpecifiers(entry.value, unit, hostname);
      if (!/\bdocker\b[\s\S]*\b(run|create)\b/.test(value)) continue;
      const m = /--name(?:=|\s+)(["']?)([A-Za-z0-9][A-Za-z0-9_.-]*)\1/.exec(value);
      if (m) names.push(m[2]!);
    }
  }
  return names;
}

/** Containers on each machine (all by default), linked to units. */
export async function listContainers(cluster: Cluster, options: { machines?: string[]; all?: boolean } = {}): Promise<MachineContainers[]> {
  const machines = options.machines ?? cluster.machineNames();
  const state = await readState(cluster).catch(() => undefined);
  const ids = await cluster.machineIds().catch(() => new Map<string, string>());
  return Promise.all(
    machines.map(async (machine): Promise<MachineContainers> => {
      try {
        const docker = dockerFor(cluster, machine);
        const list = await withTimeout(docker.listContainers({ all: options.all ?? true }), 10_000, `Docker on ${machine} did not answer within 10 s`);
        const byName = new Map<string, string>();
        const id = ids.get(machine);
        if (state && id) {
          for (const [unit, placed] of Object.entries(state.placement)) {
            if (!placed.includes(id)) continue;
            const record = state.units.get(unit);
            if (record) for (const n of containerNamesOfUnit(unit, record.text, machine)) byName.set(n, unit);
          }
        }
        return {
          machine,
          containers: list.map((c) => {
            const name = (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');
            return {
              machine,
              id: c.Id,
              name,
              image: c.Image,
              state: c.State,
              status: c.Status,
              created: c.Created,
              ports: (c.Ports ?? []).map((p) => (p.PublicPort ? `${p.IP ?? ''}:${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`)),
              unit: byName.get(name),
            };
          }),
        };
      } catch (error) {
        return { machine, containers: [], error: messageOf(error) };
      }
    }),
  );
}

export interface LogOptions {
  tail?: number;
  follow?: boolean;
  timestamps?: boolean;
  since?: number;
}

/** A container's logs (stdout and stderr demultiplexed into one text stream). */
export async function containerLogs(cluster: Cluster, machine: string, container: string, options: LogOptions = {}): Promise<NodeJS.ReadableStream> {
  const docker = dockerFor(cluster, machine);
  const c = docker.getContainer(container);
  const info = await c.inspect().catch((error: Error & { statusCode?: number }) => {
    if (error.statusCode === 404) throw new ClusterError('not-found', `no container ${container} on ${machine}`);
    throw new ClusterError('remote', `Docker on ${machine}: ${error.message}`);
  });
  const base = { stdout: true, stderr: true, timestamps: options.timestamps ?? false, tail: options.tail ?? 100, since: options.since ?? 0 };
  const out = new PassThrough();
  const raw = options.follow ? await c.logs({ ...base, follow: true }) : ((await c.logs({ ...base, follow: false })) as unknown as Buffer);
  if (info.Config.Tty) {
    if (Buffer.isBuffer(raw)) out.end(raw);
    else (raw as NodeJS.ReadableStream).pipe(out);
  } else if (Buffer.isBuffer(raw)) {
    out.end(demux(raw));
  } else {
    docker.modem.demuxStream(raw as NodeJS.ReadableStream, out, out);
    (raw as NodeJS.ReadableStream).on('end', () => out.end());
  }
  return out;
}

/** Docker's multiplexed log format: 8-byte headers (stream, 0, 0, 0, size32). */
function demux(buffer: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(i + 4);
    parts.push(buffer.subarray(i + 8, i + 8 + size));
    i += 8 + size;
  }
  return Buffer.concat(parts);
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ClusterError('timeout', message)), ms);
    }),
  ]);
}
