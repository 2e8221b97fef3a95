// The cluster definition (cluster.json): loading, validation against schemas/cluster.schema.json,
// path resolution (relative to the file's folder, ~/ for home) and secrets.
//
// Secrets never come from the file. The file only names environment variables; the caller injects
// the values through `ClusterSecrets` (the CLI builds it from process.env, the extension from its
// SecretStorage), so the core itself never reads a secret from disk or from the environment.
import Ajv from 'ajv';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import schema from '../../../schemas/cluster.schema.json';
import { ClusterError } from './errors';

export interface ConnectionSettings {
  port?: number;
  user?: string;
  identityFile?: string;
  passphraseEnv?: string;
  passwordEnv?: string;
  agent?: boolean;
}

export interface MachineDefinition extends ConnectionSettings {
  name: string;
  host: string;
  machineId?: string;
  metadata?: Record<string, string>;
}

export interface ClusterDefinitionFile {
  name: string;
  description?: string;
  defaults?: ConnectionSettings;
  machines: MachineDefinition[];
  ssh?: {
    knownHostsFile?: string;
    strictHostKeyChecking?: boolean;
    connectTimeoutMs?: number;
    keepaliveIntervalMs?: number;
    configFile?: string;
  };
  etcd: {
    endpoints: string[];
    prefix?: string;
    v2?: boolean;
    username?: string;
    passwordEnv?: string;
    caFile?: string;
    certFile?: string;
    keyFile?: string;
    dialTimeoutMs?: number;
  };
  docker?: { enabled: boolean; socketPath?: string };
}

/** A machine with defaults applied and paths resolved. */
export interface MachineConfig {
  name: string;
  host: string;
  port: number;
  user: string;
  identityFile?: string;
  passphraseEnv?: string;
  passwordEnv?: string;
  agent: boolean;
  machineId?: string;
  metadata: Record<string, string>;
}

/** The definition with every default applied and every path absolute. */
export interface ClusterConfig {
  name: string;
  description?: string;
  /** Absolute path of the file it came from (undefined when built in memory). */
  file?: string;
  machines: MachineConfig[];
  ssh: { knownHostsFile: string; strictHostKeyChecking: boolean; connectTimeoutMs: number; keepaliveIntervalMs: number; configFile?: string };
  etcd: {
    endpoints: string[];
    prefix: string;
    v2: boolean;
    username?: string;
    passwordEnv?: string;
    caFile?: string;
    certFile?: string;
    keyFile?: string;
    dialTimeoutMs: number;
  };
  docker: { enabled: boolean; socketPath: string };
}

/**
 * Secret values, injected by the caller. `env` maps the variable names the definition mentions
 * (passwordEnv, passphraseEnv) to their values; the CLI passes process.env, the extension passes
 * what its SecretStorage holds under those names.
 */
export interface ClusterSecrets {
  env: Readonly<Record<string, string | undefined>>;
}

export const NO_SECRETS: ClusterSecrets = { env: {} };

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(value: unknown): string[] {
  validator ??= new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema as object);
  if (validator(value)) return [];
  return (validator.errors ?? []).map((e) => {
    const where = e.instancePath || '(top level)';
    const extra = e.keyword === 'additionalProperties' ? ` "${String((e.params as { additionalProperty?: string }).additionalProperty)}"` : '';
    return `${where} ${e.message ?? 'is invalid'}${extra}`;
  });
}

function resolvePath(p: string | undefined, base: string): string | undefined {
  if (p === undefined) return undefined;
  if (p === '~' || p.startsWith('~/')) return path.join(os.homedir(), p.slice(1));
  return path.resolve(base, p);
}

/** Validates a parsed definition and applies defaults; `baseDir` resolves relative paths. */
export function parseDefinition(value: unknown, baseDir: string, file?: string): ClusterConfig {
  const problems = validate(value);
  const where = file ? `cluster definition ${file}` : 'cluster definition';
  if (problems.length > 0) throw new ClusterError('definition', `${where} is invalid:\n  ${problems.join('\n  ')}`, { problems });
  const def = value as ClusterDefinitionFile;
  const names = new Set<string>();
  for (const m of def.machines) {
    if (names.has(m.name)) throw new ClusterError('definition', `${where} is invalid: machine name "${m.name}" appears twice`);
    names.add(m.name);
  }
  const d = def.defaults ?? {};
  const machines = def.machines.map(
    (m): MachineConfig => ({
      name: m.name,
      host: m.host,
      port: m.port ?? d.port ?? 22,
      user: m.user ?? d.user ?? 'root',
      identityFile: resolvePath(m.identityFile ?? d.identityFile, baseDir),
      passphraseEnv: m.passphraseEnv ?? d.passphraseEnv,
      passwordEnv: m.passwordEnv ?? d.passwordEnv,
      agent: m.agent ?? d.agent ?? false,
      machineId: m.machineId,
      metadata: { ...(m.metadata ?? {}) },
    }),
  );
  let prefix = def.etcd.prefix ?? '/unit-fleet/';
  if (!prefix.endsWith('/')) prefix += '/';
  return {
    name: def.name,
    description: def.description,
    file,
    machines,
    ssh: {
      knownHostsFile: resolvePath(def.ssh?.knownHostsFile, baseDir) ?? path.join(os.homedir(), '.ssh', 'known_hosts'),
      strictHostKeyChecking: def.ssh?.strictHostKeyChecking ?? true,
      connectTimeoutMs: def.ssh?.connectTimeoutMs ?? 10_000,
      keepaliveIntervalMs: def.ssh?.keepaliveIntervalMs ?? 5_000,
      configFile: resolvePath(def.ssh?.configFile, baseDir),
    },
    etcd: {
      endpoints: def.etcd.endpoints.map((e) => e.replace(/\/$/, '')),
      prefix,
      v2: def.etcd.v2 ?? false,
      username: def.etcd.username,
      passwordEnv: def.etcd.passwordEnv,
      caFile: resolvePath(def.etcd.caFile, baseDir),
      certFile: resolvePath(def.etcd.certFile, baseDir),
      keyFile: resolvePath(def.etcd.keyFile, baseDir),
      dialTimeoutMs: def.etcd.dialTimeoutMs ?? 5_000,
    },
    docker: { enabled: def.docker?.enabled ?? false, socketPath: def.docker?.socketPath ?? '/var/run/docker.sock' },
  };
}

/** Reads and validates a definition file. */
export function loadDefinition(file: string): ClusterConfig {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ClusterError('definition', code === 'ENOENT' ? `cluster definition ${absolute} does not exist` : `cannot read cluster definition ${absolute}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ClusterError('definition', `cluster definition ${absolute} is not valid JSON: ${(error as Error).message}`);
  }
  return parseDefinition(value, path.dirname(absolute), absolute);
}

/** Which file to use: the explicit one, else $UNIT_FLEET_CLUSTER. */
export function definitionPath(explicit: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const file = explicit ?? env.UNIT_FLEET_CLUSTER;
  if (!file) throw new ClusterError('usage', 'no cluster definition: pass --cluster FILE or set UNIT_FLEET_CLUSTER');
  return file;
}

/** The secret named by `envName`, or undefined (never throws: a missing secret is reported where it is needed). */
export function secretOf(secrets: ClusterSecrets, envName: string | undefined): string | undefined {
  return envName ? secrets.env[envName] : undefined;
}
