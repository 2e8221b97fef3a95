// Shared by the cluster-core tests (test/cluster/core*.test.ts): skip logic like the harness tests,
// the unit-fleet CLI as a child process, and a Cluster object on the local cluster's definition.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { canRunCluster, clusterPaths, projectRoot, sshRun } from '../../harness/index';
import { Cluster, type ClusterOptions } from '../../client/src/cluster/cluster';
import { loadDefinition } from '../../client/src/cluster/definition';

export const readiness = canRunCluster({ docker: true });
const inCI = process.env.CI === 'true';
export const skip = !readiness.ok && !inCI ? `cannot run the local cluster: ${readiness.reason}` : false;
export const paths = clusterPaths();
export const definitionFile = paths.definition;
const CLI = path.join(projectRoot, 'client', 'src', 'cli', 'main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source (node --import tsx), with the local cluster's definition. */
export function cli(args: readonly string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; definition?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--cluster', options.definition ?? definitionFile, ...args], {
      cwd: projectRoot,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function openCluster(options: Partial<ClusterOptions> = {}): Cluster {
  return new Cluster(loadDefinition(definitionFile), { secrets: { env: {} }, ...options });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A unit file in `dir`. */
export function writeUnit(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

export async function remote(machine: string, command: string): Promise<string> {
  const result = await sshRun(paths.sshConfig, machine, ['sh', '-c', command], { timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`on ${machine}: ${command}: ${result.stderr}`);
  return result.stdout;
}

/** Destroys every unit in the registry (a cluster left up by hand may still have some). */
export async function destroyAllUnits(): Promise<void> {
  const { listUnits } = await import('../../client/src/cluster/units.js');
  const { destroy } = await import('../../client/src/cluster/deploy.js');
  const cluster = openCluster();
  try {
    const units = await listUnits(cluster, { live: false });
    if (units.length > 0) await destroy(cluster, units.map((u) => u.name));
  } finally {
    await cluster.close();
  }
}
