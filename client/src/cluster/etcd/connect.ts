// The etcd v3 client for a cluster definition (etcd3 over gRPC), with TLS and user/password from
// the injected secrets, a deadline on every unary call, and gRPC/etcd errors mapped to plain words.
import * as fs from 'node:fs';
import { Etcd3, type IOptions } from 'etcd3';
import type { ClusterConfig, ClusterSecrets } from '../definition';
import { secretOf } from '../definition';
import { ClusterError } from '../errors';

export interface EtcdOptions {
  /** Deadline of each unary call (ms). */
  callTimeoutMs?: number;
}

export function connectEtcd(config: ClusterConfig, secrets: ClusterSecrets, options: EtcdOptions = {}): Etcd3 {
  const etcd = config.etcd;
  // Short deadlines: a call sent to a member that just lost its power would otherwise hang on a
  // dead TCP connection; a deadline is "recoverable" for etcd3, which retries on another member.
  const callTimeoutMs = options.callTimeoutMs ?? 2_500;
  const opts: IOptions = {
    hosts: etcd.endpoints,
    dialTimeout: etcd.dialTimeoutMs,
    // Keepalive pings find dead connections of long-lived streams (watches, lease keep-alives);
    // not more often than etcd's default --grpc-keepalive-min-time (5 s) allows.
    grpcOptions: { 'grpc.keepalive_time_ms': 6_000, 'grpc.keepalive_timeout_ms': 2_000, 'grpc.max_receive_message_length': 64 * 1024 * 1024 },
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + callTimeoutMs }),
  };
  if (etcd.username) {
    const password = secretOf(secrets, etcd.passwordEnv);
    if (password === undefined) {
      throw new ClusterError(
        'etcd-auth',
        `etcd user "${etcd.username}" needs a password: ${etcd.passwordEnv ? `set the environment variable ${etcd.passwordEnv}` : 'the cluster definition names no passwordEnv'}`,
      );
    }
    opts.auth = { username: etcd.username, password };
  }
  const read = (file: string | undefined, what: string) => {
    if (!file) return undefined;
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new ClusterError('definition', `cannot read the etcd ${what} ${file}: ${(error as Error).message}`);
    }
  };
  if (etcd.caFile || etcd.certFile) {
    opts.credentials = { rootCertificate: read(etcd.caFile, 'CA file')!, privateKey: read(etcd.keyFile, 'key file'), certChain: read(etcd.certFile, 'certificate file') };
  }
  return new Etcd3(opts);
}

/** Maps errors from etcd3/gRPC to ClusterError with a message people understand. */
export function mapEtcdError(error: unknown, endpoints: readonly string[], what = 'etcd request'): ClusterError {
  if (error instanceof ClusterError) return error;
  const e = error as Error & { code?: number; details?: string };
  const name = e?.constructor?.name ?? '';
  const message = e?.message ?? String(error);
  const where = endpoints.join(', ');
  if (name === 'EtcdAuthenticationFailedError' || /authentication failed, invalid user ID or password/.test(message)) {
    return new ClusterError('etcd-auth', `etcd at ${where} refused the user name or password (authentication failed): check the etcd user and the password variable`, undefined, { cause: error });
  }
  if (name === 'EtcdPermissionDeniedError' || /permission denied/.test(message)) {
    return new ClusterError('etcd-auth', `etcd at ${where} denied the ${what}: the etcd user lacks permission (or authentication is enabled and no user was given)`, undefined, { cause: error });
  }
  if (name === 'EtcdInvalidAuthTokenError' || /user name is empty|invalid auth token/.test(message)) {
    return new ClusterError('etcd-auth', `etcd at ${where} requires authentication: set etcd.username and its password variable in the cluster definition`, undefined, { cause: error });
  }
  if (name === 'GRPCDeadlineExceededError' || /deadline exceeded/i.test(message)) {
    return new ClusterError('timeout', `etcd at ${where} did not answer the ${what} in time (no quorum, or members unreachable)`, undefined, { cause: error });
  }
  if (name === 'GRPCUnavailableError' || /unavailable|ECONNREFUSED|No connection established|failed to connect/i.test(message)) {
    return new ClusterError('unreachable', `etcd at ${where} is unreachable (${message.split('\n')[0]})`, undefined, { cause: error });
  }
  if (name === 'ClientClosedError') return new ClusterError('etcd', 'the etcd client was closed', undefined, { cause: error });
  return new ClusterError('etcd', `etcd ${what} failed: ${message}`, undefined, { cause: error });
}

/** Runs an etcd call, mapping its errors. */
export async function etcdCall<T>(endpoints: readonly string[], what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw mapEtcdError(error, endpoints, what);
  }
}
