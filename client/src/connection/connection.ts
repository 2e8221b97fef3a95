// The connection to one cluster: loads the definition, gathers its secrets from SecretStorage,
// opens the cluster core (lazily imported) with a host-key prompt, and keeps a snapshot of
// machines and registry fresh. Refreshes never overlap: a refresh asked for while one runs is
// done once after it, and auto-refresh schedules the next one only when the last has finished.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Cluster } from '../cluster/cluster';
import type { ClusterConfig } from '../cluster/definition';
import { resolveDefinitionFile, type DefinitionFileChoice } from './definitionFile';
import { showClusterError } from './errors';
import { askToTrustHostKey } from './hostKeyPrompt';
import { clusterLog } from './log';
import { ClusterSecretStore, secretNeeds } from './secrets';
import { healthOf, machinesUp, type ClusterSnapshot } from './snapshot';
import { checkTrusted } from './trust';

export type Core = typeof import('./core.js');
export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'degraded';

export const refreshIntervalSetting = 'unitFleet.refreshIntervalSeconds';

/** Thrown when the user cancels (an input box, a prompt): callers stop quietly. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

export interface Connected {
  cluster: Cluster;
  core: Core;
  config: ClusterConfig;
}

let corePromise: Promise<Core> | undefined;
/**
 * The cluster core module, loaded on first use from dist/clusterCore.js next to the bundled
 * extension (its own bundle, see esbuild.mjs: activation does not parse it).
 */
export function loadCore(): Promise<Core> {
  corePromise ??= (async () => {
    const bundle = path.join(__dirname, 'clusterCore.js');
    if (!fs.existsSync(bundle)) throw new Error(`the cluster core is missing (${bundle}); run npm run build`);
    return require(bundle) as Core;
  })();
  return corePromise;
}

export class ClusterConnection implements vscode.Disposable {
  private _state: ConnectionState = 'disconnected';
  private connected: Connected | undefined;
  private _snapshot: ClusterSnapshot | undefined;
  private _definition: DefinitionFileChoice | undefined;
  private running: Promise<ClusterSnapshot | undefined> | undefined;
  private pending: Promise<ClusterSnapshot | undefined> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private readonly progressSinks = new Set<(message: string) => void>();
  private readonly refusedHostKeys = new Set<string>();
  private readonly hostKeyQuestions = new Map<string, Promise<boolean>>();
  private readonly lastMachineErrors = new Map<string, string>();
  private readonly reportedHostKeyProblems = new Set<string>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  private lifetimeController = new AbortController();
  /** State or snapshot changed. */
  readonly onDidChange = this.changeEmitter.event;
  /** Milliseconds the last refresh took (for the status bar tooltip and measurements). */
  lastRefreshMs: number | undefined;
  refreshCount = 0;

  constructor(readonly secrets: ClusterSecretStore) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(refreshIntervalSetting) && this.connected) this.schedule();
      }),
    );
    void this.updateContext();
  }

  get state(): ConnectionState {
    return this._state;
  }

  get snapshot(): ClusterSnapshot | undefined {
    return this._snapshot;
  }

  get definition(): DefinitionFileChoice | undefined {
    return this._definition;
  }

  get current(): Connected | undefined {
    return this.connected;
  }

  /** Aborted when this connection ends (journal follows and watches stop with it). */
  get lifetime(): AbortSignal {
    return this.lifetimeController.signal;
  }

  get isConnected(): boolean {
    return this.connected !== undefined;
  }

  /**
   * Connects (again) to the cluster of the definition file. Returns false when the workspace is not
   * trusted, the user cancelled, or the definition cannot be used (the error has been shown).
   */
  async connect(options: { interactive?: boolean } = {}): Promise<boolean> {
    if (!checkTrusted()) return false;
    const interactive = options.interactive ?? true;
    await this.disconnect({ quiet: true });
    const generation = ++this.generation;
    this.refusedHostKeys.clear();
    this.reportedHostKeyProblems.clear();
    this.lastMachineErrors.clear();
    this.setState('connecting');
    const log = clusterLog();
    const choice = resolveDefinitionFile();
    this._definition = choice;
    try {
      if (!choice.file) throw new Error(`the cluster definition path "${choice.written}" is relative, and no workspace folder is open`);
      const started = Date.now();
      const core = await loadCore();
      log.info(`cluster core loaded in ${Date.now() - started} ms`);
      const config = core.loadDefinition(choice.file);
      const env = await this.secrets.collect(config.name, secretNeeds(config), interactive);
      if (env === undefined) throw new Cancelled();
      if (generation !== this.generation) return false;
      const cluster = new core.Cluster(config, {
        secrets: { env },
        trustUnknownHostKey: (key) => {
          const id = `${key.machine}|${key.fingerprint}`;
          if (this.refusedHostKeys.has(id)) return false;
          // One question per key, even when a refresh retries while the modal is still open.
          let asked = this.hostKeyQuestions.get(id);
          if (!asked) {
            asked = askToTrustHostKey(key, config.ssh.knownHostsFile, (line) => log.info(line)).then((trusted) => {
              this.hostKeyQuestions.delete(id);
              if (!trusted) this.refusedHostKeys.add(id);
              // The connection that asked may have timed out while the modal was open: try again now.
              else if (generation === this.generation) setTimeout(() => void this.refresh(), 200);
              return trusted;
            });
            this.hostKeyQuestions.set(id, asked);
          }
          return asked;
        },
        progress: (message) => this.emitProgress(message),
      });
      this.connected = { cluster, core, config };
      log.info(`connecting to cluster "${config.name}" (${config.machines.length} machines) from ${choice.file}${choice.from === 'environment' ? ' ($UNIT_FLEET_CLUSTER)' : ''}`);
      const snapshot = await this.refresh();
      if (generation !== this.generation) return false;
      if (snapshot) {
        const { up, total } = machinesUp(snapshot);
        log.info(`connected to "${config.name}": ${up}/${total} machines up, registry ${snapshot.state ? 'readable' : `unreadable (${snapshot.stateError})`}`);
      }
      return true;
    } catch (error) {
      if (generation === this.generation) {
        await this.disconnect({ quiet: true });
        if (!(error instanceof Cancelled)) {
          log.error(`connect: ${error instanceof Error ? error.message : String(error)}`);
          void showClusterError(error, { what: 'Connecting to the cluster', connection: this });
        }
      }
      return false;
    }
  }

  async disconnect(options: { quiet?: boolean } = {}): Promise<void> {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = undefined;
    const was = this.connected;
    this.connected = undefined;
    this.lifetimeController.abort();
    this.lifetimeController = new AbortController();
    this._snapshot = undefined;
    this.running = undefined;
    this.pending = undefined;
    if (was) {
      await was.cluster.close().catch(() => undefined);
      if (!options.quiet) clusterLog().info(`disconnected from "${was.config.name}"`);
    }
    this.setState('disconnected');
  }

  /** The connection, connecting first when there is none. Throws Cancelled when that fails. */
  async ensureConnected(): Promise<Connected> {
    if (!this.connected && !(await this.connect())) throw new Cancelled();
    if (!this.connected) throw new Cancelled();
    return this.connected;
  }

  /** Refreshes the snapshot; while one runs, a second is queued (once) to run after it. */
  refresh(): Promise<ClusterSnapshot | undefined> {
    if (this.running) {
      this.pending ??= this.running.then(() => {
        this.pending = undefined;
        return this.refresh();
      });
      return this.pending;
    }
    const run = this.doRefresh();
    const tracked = run.finally(() => {
      if (this.running === tracked) this.running = undefined;
    });
    this.running = tracked;
    return tracked;
  }

  private async doRefresh(): Promise<ClusterSnapshot | undefined> {
    const generation = this.generation;
    const c = this.connected;
    if (!c) return undefined;
    clearTimeout(this.timer);
    const started = Date.now();
    try {
      const [machines, state] = await Promise.all([
        c.cluster.listMachines({ timeoutMs: 5_000 }),
        c.core.readState(c.cluster).then(
          (s) => ({ s, e: undefined }),
          (e: unknown) => ({ s: undefined, e: c.core.messageOf(e) }),
        ),
      ]);
      const names = new Map<string, string>();
      for (const m of machines) if (m.machineId) names.set(m.machineId, m.name);
      if (names.size < machines.length && state.s) {
        for (const [name, id] of await c.cluster.machineIds().catch(() => new Map<string, string>())) if (!names.has(id)) names.set(id, name);
      }
      if (generation !== this.generation) return undefined;
      const snapshot: ClusterSnapshot = { at: Date.now(), durationMs: Date.now() - started, machines, state: state.s, stateError: state.e, names };
      this.lastRefreshMs = snapshot.durationMs;
      this.refreshCount++;
      this._snapshot = snapshot;
      this.reportProblems(snapshot);
      this.setState(healthOf(snapshot));
      return snapshot;
    } catch (error) {
      if (generation !== this.generation) return undefined;
      clusterLog().error(`refresh: ${error instanceof Error ? error.message : String(error)}`);
      this.setState('degraded');
      return this._snapshot;
    } finally {
      if (generation === this.generation) this.schedule();
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.connected) return;
    const seconds = vscode.workspace.getConfiguration().get<number>(refreshIntervalSetting, 10);
    if (!Number.isFinite(seconds) || seconds <= 0) return;
    this.timer = setTimeout(() => void this.refresh(), Math.max(1, seconds) * 1000);
  }

  /** Logs machine errors when they change; host-key and login problems also get a message. */
  private reportProblems(snapshot: ClusterSnapshot): void {
    const log = clusterLog();
    for (const m of snapshot.machines) {
      const error = m.error ?? '';
      if (this.lastMachineErrors.get(m.name) !== error) {
        if (error) log.warn(`${m.name}: ${error}`);
        else if (this.lastMachineErrors.has(m.name)) log.info(`${m.name}: reachable again`);
        this.lastMachineErrors.set(m.name, error);
      }
      if (error && (m.errorKind === 'host-key' || m.errorKind === 'auth') && !this.reportedHostKeyProblems.has(`${m.name}|${error}`)) {
        this.reportedHostKeyProblems.add(`${m.name}|${error}`);
        const kind = m.errorKind;
        void showClusterError(Object.assign(new Error(error), { kind }), { what: `Connecting to ${m.name}`, connection: this });
      }
    }
    if (snapshot.stateError && this.lastMachineErrors.get('(etcd)') !== snapshot.stateError) log.warn(`etcd: ${snapshot.stateError}`);
    this.lastMachineErrors.set('(etcd)', snapshot.stateError ?? '');
  }

  /** Routes the core's progress lines to `sink` while `body` runs (e.g. a progress notification). */
  async withProgress<T>(sink: (message: string) => void, body: () => Promise<T>): Promise<T> {
    this.progressSinks.add(sink);
    try {
      return await body();
    } finally {
      this.progressSinks.delete(sink);
    }
  }

  private emitProgress(message: string): void {
    clusterLog().debug(message);
    for (const sink of this.progressSinks) sink(message);
  }

  /** Forgets the host keys refused in this session, so the next attempt asks again. */
  forgetRefusedHostKeys(): void {
    this.refusedHostKeys.clear();
    this.reportedHostKeyProblems.clear();
  }

  private setState(state: ConnectionState): void {
    const changed = state !== this._state;
    this._state = state;
    if (changed) void this.updateContext();
    this.changeEmitter.fire();
  }

  private async updateContext(): Promise<void> {
    const connected = this.connected !== undefined && this._state !== 'connecting';
    await vscode.commands.executeCommand('setContext', 'unitFleet.connected', connected);
    await vscode.commands.executeCommand('setContext', 'unitFleet.connecting', this._state === 'connecting');
    await vscode.commands.executeCommand('setContext', 'unitFleet.etcdV2', this.connected?.config.etcd.v2 ?? false);
  }

  dispose(): void {
    void this.disconnect({ quiet: true });
    this.changeEmitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
