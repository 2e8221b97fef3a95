// The cluster core's entry point: one object per cluster definition, holding the SSH pool and the
// etcd client, shared by the CLI and the VS Code extension (no `vscode` import anywhere here).
import type { Etcd3 } from 'etcd3';
import { loadDefinition, type ClusterConfig, type ClusterSecrets } from './definition';
import { ClusterError } from './errors';
import { connectEtcd, etcdCall } from './etcd/connect';
import { stateKeys, type StateKeys } from './keys';
import { installPresence, listMachines, probeMachine, type MachineListOptions, type MachineStatus } from './machines';
import { SshPool, type UnknownHostKey } from './ssh/pool';

export type Progress = (message: string) => void;

export interface ClusterOptions {
  /** Secret values for the variable names the definition mentions (see ClusterSecrets). */
  secrets: ClusterSecrets;
  /** Asked about unknown ssh host keys (CLI: --trust-host-key; extension: a prompt). */
  trustUnknownHostKey?: (key: UnknownHostKey) => boolean | Promise<boolean>;
  /** Receives progress lines of long operations (CLI: stderr; extension: a progress notification). */
  progress?: Progress;
  /** Deadline of each etcd call (ms). */
  etcdCallTimeoutMs?: number;
  /** Default timeout of each remote command (ms). */
  sshExecTimeoutMs?: number;
}

export class Cluster {
  readonly ssh: SshPool;
  readonly keys: StateKeys;
  private etcdClient: Etcd3 | undefined;
  private readonly ids = new Map<string, string>();
  private readonly joined = new Set<string>();

  constructor(
    readonly config: ClusterConfig,
    readonly options: ClusterOptions,
  ) {
    this.ssh = new SshPool(config, options.secrets, { trustUnknownHostKey: options.trustUnknownHostKey, execTimeoutMs: options.sshExecTimeoutMs });
    this.keys = stateKeys(config.etcd.prefix);
    for (const m of config.machines) if (m.machineId) this.ids.set(m.name, m.machineId);
  }

  static fromFile(file: string, options: ClusterOptions): Cluster {
    return new Cluster(loadDefinition(file), options);
  }

  progress(message: string): void {
    this.options.progress?.(message);
  }

  /** The etcd v3 client (created on first use). */
  get etcd(): Etcd3 {
    this.etcdClient ??= connectEtcd(this.config, this.options.secrets, { callTimeoutMs: this.options.etcdCallTimeoutMs });
    return this.etcdClient;
  }

  /** Runs an etcd call with errors mapped to plain words. */
  etcdCall<T>(what: string, fn: (etcd: Etcd3) => Promise<T>): Promise<T> {
    return etcdCall(this.config.etcd.endpoints, what, () => fn(this.etcd));
  }

  machineNames(): string[] {
    return this.config.machines.map((m) => m.name);
  }

  /**
   * The machine-id of each machine: from the definition, else remembered in etcd, else probed over
   * SSH (and then remembered). Machines whose id cannot be learned are left out.
   */
  async machineIds(): Promise<Map<string, string>> {
    const missing = this.config.machines.filter((m) => !this.ids.has(m.name));
    if (missing.length > 0) {
      const remembered = await this.etcdCall('read of machine names', (etcd) => etcd.getAll().prefix(this.keys.names).strings());
      for (const m of missing) {
        const id = remembered[this.keys.name(m.name)];
        if (id) this.ids.set(m.name, id);
      }
      await Promise.all(
        this.config.machines
          .filter((m) => !this.ids.has(m.name))
          .map(async (m) => {
            try {
              const facts = await probeMachine(this.ssh, m.name, 5_000);
              this.ids.set(m.name, facts.machineId);
              await this.etcdCall('write of a machine name', async (etcd) => {
                await etcd.put(this.keys.name(m.name)).value(facts.machineId).exec();
              });
            } catch {
              /* unknown for now */
            }
          }),
      );
    }
    return new Map(this.ids);
  }

  async machineName(id: string): Promise<string | undefined> {
    for (const [name, mid] of await this.machineIds()) if (mid === id) return name;
    return undefined;
  }

  async listMachines(options?: MachineListOptions): Promise<MachineStatus[]> {
    const machines = await listMachines(this.ssh, this.etcd, this.config, options);
    for (const m of machines) if (m.machineId && !this.ids.has(m.name)) this.ids.set(m.name, m.machineId);
    return machines;
  }

  /**
   * Makes sure the presence unit runs on each given machine (once per Cluster object). Unreachable
   * machines are skipped; they join when they come back and something calls this again.
   */
  async join(names: readonly string[] = this.machineNames()): Promise<{ joined: string[]; failed: Array<{ machine: string; error: string }> }> {
    const todo = names.filter((n) => !this.joined.has(n));
    const failed: Array<{ machine: string; error: string }> = [];
    const envFile = this.config.etcd.username ? this.etcdEnvFile() : undefined;
    await Promise.all(
      todo.map(async (name) => {
        try {
          await installPresence(this.ssh, this.config, name, envFile);
          this.joined.add(name);
        } catch (error) {
          failed.push({ machine: name, error: (error as Error).message });
        }
      }),
    );
    return { joined: todo.filter((n) => this.joined.has(n)), failed };
  }

  private etcdEnvFile(): string {
    const password = this.config.etcd.passwordEnv ? this.options.secrets.env[this.config.etcd.passwordEnv] : undefined;
    if (password === undefined) throw new ClusterError('etcd-auth', 'the presence unit needs the etcd password, which was not provided');
    const value = `${this.config.etcd.username}:${password}`;
    return `ETCDCTL_USER='${value.replace(/'/g, `'\\''`)}'\nexport ETCDCTL_USER\n`;
  }

  async close(): Promise<void> {
    await this.ssh.close();
    this.etcdClient?.close();
    this.etcdClient = undefined;
  }
}
