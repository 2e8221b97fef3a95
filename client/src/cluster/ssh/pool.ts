// One SSH connection per machine, shared by every operation (a pool), with keep-alive, a timeout on
// every call, a cap on concurrent channels (sshd's MaxSessions is 10), host keys checked against
// known_hosts, and errors in plain words.
import * as fs from 'node:fs';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { ClusterConfig, ClusterSecrets, MachineConfig } from '../definition';
import { secretOf } from '../definition';
import { ClusterError } from '../errors';
import { commandLine } from './command';
import { appendKnownHost, checkHostKey, readKnownHosts, type HostKeyVerdict } from './hostKeys';

export interface UnknownHostKey {
  machine: string;
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
}

export interface SshPoolOptions {
  /**
   * Decides about a host key that known_hosts does not have: true trusts it (and records it in the
   * known_hosts file). The CLI maps --trust-host-key to `() => true`; the extension shows a prompt.
   * Without it, unknown keys are refused (when strictHostKeyChecking is on).
   */
  trustUnknownHostKey?: (key: UnknownHostKey) => boolean | Promise<boolean>;
  /** Default timeout of exec calls (ms). */
  execTimeoutMs?: number;
  /** Most channels open at once on one connection. */
  maxChannels?: number;
}

export interface ExecResult {
  code: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  timeoutMs?: number;
  /** Written to the command's standard input, which is then closed. */
  stdin?: string | Buffer;
}

/** A counting semaphore. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(size: number) {
    this.free = size;
  }
  async take(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

interface Connection {
  client: Client;
  slots: Slots;
  closed: boolean;
}

export class SshPool {
  private readonly connections = new Map<string, Promise<Connection>>();
  private readonly execTimeoutMs: number;
  private readonly maxChannels: number;

  constructor(
    private readonly config: ClusterConfig,
    private readonly secrets: ClusterSecrets,
    private readonly options: SshPoolOptions = {},
  ) {
    this.execTimeoutMs = options.execTimeoutMs ?? 30_000;
    this.maxChannels = options.maxChannels ?? 8;
  }

  machine(name: string): MachineConfig {
    const m = this.config.machines.find((x) => x.name === name);
    if (!m) throw new ClusterError('not-found', `no machine named "${name}" in cluster ${this.config.name} (machines: ${this.config.machines.map((x) => x.name).join(', ')})`);
    return m;
  }

  /** True when a connection to the machine is currently open. */
  isConnected(name: string): boolean {
    return this.connections.has(name);
  }

  private connect(machine: MachineConfig, timeoutMs?: number): Promise<Connection> {
    const existing = this.connections.get(machine.name);
    if (existing) return existing;
    const promise = this.open(machine, timeoutMs);
    this.connections.set(machine.name, promise);
    promise.catch(() => {
      if (this.connections.get(machine.name) === promise) this.connections.delete(machine.name);
    });
    return promise;
  }

  private async open(machine: MachineConfig, timeoutMs?: number): Promise<Connection> {
    const connectTimeout = timeoutMs ?? this.config.ssh.connectTimeoutMs;
    const where = `${machine.name} (${machine.user}@${machine.host}:${machine.port})`;
    const config: ConnectConfig = {
      host: machine.host,
      port: machine.port,
      username: machine.user,
      readyTimeout: connectTimeout,
      keepaliveInterval: this.config.ssh.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      // The classic curve first: cheaper than the post-quantum hybrids on small machines.
      algorithms: { kex: ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'diffie-hellman-group14-sha256'] },
    };
    if (machine.identityFile) {
      try {
        config.privateKey = fs.readFileSync(machine.identityFile);
      } catch (error) {
        throw new ClusterError('auth', `cannot read the ssh key ${machine.identityFile} for ${machine.name}: ${(error as Error).message}`);
      }
      const passphrase = secretOf(this.secrets, machine.passphraseEnv);
      if (passphrase) config.passphrase = passphrase;
    }
    const password = secretOf(this.secrets, machine.passwordEnv);
    if (password) config.password = password;
    if (machine.agent) {
      const sock = this.secrets.env.SSH_AUTH_SOCK ?? process.env.SSH_AUTH_SOCK;
      if (sock) config.agent = sock;
    }

    let hostKeyProblem: ClusterError | undefined;
    const strict = this.config.ssh.strictHostKeyChecking;
    const knownHostsFile = this.config.ssh.knownHostsFile;
    config.hostVerifier = (key: Buffer, verify: (ok: boolean) => void) => {
      let verdict: HostKeyVerdict;
      try {
        verdict = checkHostKey(readKnownHosts(knownHostsFile), machine.host, machine.port, machine.name, key);
      } catch (error) {
        hostKeyProblem = error instanceof ClusterError ? error : new ClusterError('host-key', String(error));
        verify(false);
        return;
      }
      if (verdict.status === 'known') return verify(true);
      if (verdict.status === 'changed') {
        hostKeyProblem = new ClusterError(
          'host-key',
          `the host key of ${where} has CHANGED: it presents ${verdict.keyType} ${verdict.fingerprint}, but ${knownHostsFile} expects ${verdict.expected.join(' or ')}. ` +
            'Someone may be impersonating the machine, or it was reinstalled; if you know why, remove the old key from known_hosts.',
          { machine: machine.name, presented: verdict.fingerprint, expected: verdict.expected },
        );
        return verify(false);
      }
      if (verdict.status === 'revoked') {
        hostKeyProblem = new ClusterError('host-key', `the host key of ${where} (${verdict.keyType} ${verdict.fingerprint}) is marked @revoked in ${knownHostsFile}`);
        return verify(false);
      }
      const unknown: UnknownHostKey = { machine: machine.name, host: machine.host, port: machine.port, keyType: verdict.keyType, fingerprint: verdict.fingerprint };
      const refuse = () => {
        hostKeyProblem = new ClusterError(
          'host-key',
          `the host key of ${where} is not known (${verdict.keyType} ${verdict.fingerprint} is not in ${knownHostsFile}); ` +
            'check the fingerprint with the machine\'s administrator, then trust it (--trust-host-key) or add it to known_hosts',
          { machine: machine.name, presented: verdict.fingerprint },
        );
        verify(false);
      };
      if (!strict) return verify(true);
      if (!this.options.trustUnknownHostKey) return refuse();
      Promise.resolve(this.options.trustUnknownHostKey(unknown)).then(
        (trusted) => {
          if (!trusted) return refuse();
          appendKnownHost(knownHostsFile, machine.host, machine.port, key).then(
            () => verify(true),
            () => verify(true), // trusted for this session only
          );
        },
        () => refuse(),
      );
    };

    const client = new Client();
    const connection: Connection = { client, slots: new Slots(this.maxChannels), closed: false };
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.end();
        client.destroy();
        reject(new ClusterError('timeout', `${where} did not answer within ${connectTimeout} ms (machine down, or unreachable)`, { machine: machine.name }));
      }, connectTimeout + 500);
      client.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
      client.once('error', (error: Error & { level?: string; code?: string }) => {
        clearTimeout(timer);
        reject(hostKeyProblem ?? mapSshError(error, where, machine.name, connectTimeout));
      });
      client.connect(config);
    });
    const forget = () => {
      connection.closed = true;
      const current = this.connections.get(machine.name);
      void current?.then((c) => {
        if (c === connection) this.connections.delete(machine.name);
      });
    };
    client.on('close', forget);
    client.on('end', forget);
    client.on('error', forget);
    return connection;
  }

  /** Connects (or reuses the connection) and returns the raw ssh2 client, e.g. for Docker's agent. */
  async client(name: string): Promise<Client> {
    return (await this.connect(this.machine(name))).client;
  }

  /**
   * Opens a channel running `command` (argv, quoted here; or a raw command line already built).
   * `exited` settles when the channel closes, with the exit status (code null: closed without one,
   * e.g. the connection dropped). Listeners are attached inside ssh2's callback, because the
   * command's exit and close may arrive in the same packet batch as the channel confirmation.
   */
  async channel(
    name: string,
    command: readonly string[] | { raw: string },
    options: { pty?: boolean; timeoutMs?: number } = {},
  ): Promise<{ stream: ClientChannel; release: () => void; exited: Promise<{ code: number | null; signal?: string }> }> {
    const machine = this.machine(name);
    const connection = await this.connect(machine, options.timeoutMs);
    const release = await connection.slots.take();
    const line = Array.isArray(command) ? commandLine(command as readonly string[]) : (command as { raw: string }).raw;
    try {
      return await new Promise((resolve, reject) => {
        connection.client.exec(line, options.pty ? { pty: true } : {}, (error, stream) => {
          if (error) return reject(error);
          let status: { code: number | null; signal?: string } = { code: null };
          stream.once('exit', (code: number | null, signal?: string) => {
            status = { code: typeof code === 'number' ? code : null, signal: signal ?? undefined };
          });
          const exited = new Promise<{ code: number | null; signal?: string }>((done) => stream.once('close', () => done(status)));
          stream.once('close', release);
          resolve({ stream, release, exited });
        });
      });
    } catch (error) {
      release();
      if (connection.closed) throw new ClusterError('unreachable', `lost the connection to ${machine.name}`, { machine: name }, { cause: error });
      throw new ClusterError('remote', `cannot run a command on ${machine.name}: ${(error as Error).message}`, { machine: name }, { cause: error });
    }
  }

  /** Runs a command and collects its output. Rejects only when it could not run or timed out. */
  async exec(name: string, command: readonly string[] | { raw: string }, options: ExecOptions = {}): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.execTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const timeout = () => new ClusterError('timeout', `${name} did not finish the command within ${timeoutMs} ms`, { machine: name });
    let timer: NodeJS.Timeout | undefined;
    const timed = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(timeout()), timeoutMs);
    });
    try {
      const { stream, exited } = await Promise.race([this.channel(name, command, { timeoutMs: Math.max(100, deadline - Date.now()) }), timed]);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      // Readable streams keep their data until read: nothing is lost by attaching these now.
      stream.on('data', (chunk: Buffer) => out.push(chunk));
      stream.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      const errored = new Promise<never>((_, reject) => stream.once('error', reject));
      if (options.stdin !== undefined) stream.end(options.stdin);
      else stream.end();
      try {
        const status = await Promise.race([exited, errored, timed]);
        // 'close' can come before the readable side has been drained: wait for its end too.
        await Promise.race([
          Promise.all([endOf(stream), endOf(stream.stderr)]),
          new Promise((r) => setTimeout(r, 1000)),
        ]);
        if (status.code === null && !status.signal) {
          throw new ClusterError('unreachable', `${name} closed the command's channel without an exit status (connection lost?)`, { machine: name });
        }
        return { code: status.code, signal: status.signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      } catch (error) {
        stream.close();
        throw error;
      }
    } catch (error) {
      // A timed-out call may mean a dead machine behind a half-open connection: drop it.
      if (error instanceof ClusterError && error.kind === 'timeout') this.drop(name);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Like exec, but a non-zero exit becomes a 'remote' error carrying stderr. */
  async run(name: string, command: readonly string[] | { raw: string }, options: ExecOptions = {}): Promise<string> {
    const result = await this.exec(name, command, options);
    if (result.code !== 0) {
      const what = Array.isArray(command) ? (command as string[]).join(' ') : 'script';
      throw new ClusterError('remote', `on ${name}: ${what} failed (exit ${result.code ?? result.signal}): ${result.stderr.trim() || result.stdout.trim()}`, {
        machine: name,
        code: result.code,
        stderr: result.stderr,
      });
    }
    return result.stdout;
  }

  /** Is the machine answering over SSH now? A fresh round trip within `timeoutMs`. */
  async reachable(name: string, timeoutMs = 2_000): Promise<boolean> {
    try {
      const result = await this.exec(name, ['true'], { timeoutMs });
      return result.code === 0;
    } catch {
      this.drop(name);
      return false;
    }
  }

  /** Closes the machine's connection (the next call reconnects). */
  drop(name: string): void {
    const current = this.connections.get(name);
    this.connections.delete(name);
    void current?.then(
      (c) => {
        c.closed = true;
        c.client.end();
        c.client.destroy();
      },
      () => undefined,
    );
  }

  async close(): Promise<void> {
    const all = [...this.connections.keys()];
    for (const name of all) this.drop(name);
  }
}

function endOf(stream: NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean }): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
  });
}

export function mapSshError(error: Error & { level?: string; code?: string }, where: string, machine: string, timeoutMs: number): ClusterError {
  const message = error.message ?? String(error);
  if (error.level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    return new ClusterError('auth', `${where} refused the login (wrong user, key, passphrase or password)`, { machine }, { cause: error });
  }
  if (/timed out/i.test(message) || error.code === 'ETIMEDOUT') {
    return new ClusterError('timeout', `${where} did not answer within ${timeoutMs} ms (machine down, or unreachable)`, { machine }, { cause: error });
  }
  if (error.code === 'ECONNREFUSED') return new ClusterError('unreachable', `${where} refused the connection (no sshd on that port?)`, { machine }, { cause: error });
  if (error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH' || error.code === 'EHOSTDOWN') {
    return new ClusterError('unreachable', `${where} is unreachable (no route to the machine: down or partitioned)`, { machine }, { cause: error });
  }
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return new ClusterError('unreachable', `${where}: the host name does not resolve`, { machine }, { cause: error });
  if (error.code === 'ECONNRESET') return new ClusterError('unreachable', `${where} closed the connection`, { machine }, { cause: error });
  if (/parse privateKey|passphrase/i.test(message)) return new ClusterError('auth', `the ssh key for ${where} cannot be used: ${message}`, { machine }, { cause: error });
  return new ClusterError('unreachable', `cannot connect to ${where}: ${message}`, { machine }, { cause: error });
}
