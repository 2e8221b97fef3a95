// Errors of the cluster core, in plain words, each with a kind that callers (the CLI's exit codes,
// the extension's messages) can switch on. Low-level causes (ssh2, gRPC, HTTP) are mapped here once.

export type ClusterErrorKind =
  | 'usage' // a wrong argument or option
  | 'definition' // the cluster definition file is missing or invalid
  | 'invalid-name' // a unit name or etcd key that must not reach a shell
  | 'unreachable' // a machine or etcd endpoint did not answer
  | 'auth' // ssh login refused
  | 'host-key' // unknown or changed ssh host key
  | 'timeout' // an operation took longer than allowed
  | 'etcd' // etcd refused or failed a request
  | 'etcd-auth' // wrong etcd user or password, or permission denied
  | 'unschedulable' // no machine satisfies a unit's requirements
  | 'not-found' // unit, file, machine or key does not exist
  | 'remote' // a command on a machine failed
  | 'conflict'; // a concurrent change won, and retrying did not help

export class ClusterError extends Error {
  constructor(
    readonly kind: ClusterErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ClusterError';
  }
}

/** Exit codes of the CLI, one per error kind (documented in the CLI's help). */
export const EXIT_CODES: Record<ClusterErrorKind | 'ok' | 'failure', number> = {
  ok: 0,
  failure: 1,
  usage: 2,
  definition: 3,
  'invalid-name': 2,
  unreachable: 4,
  auth: 4,
  timeout: 4,
  'host-key': 5,
  etcd: 6,
  'etcd-auth': 6,
  unschedulable: 7,
  'not-found': 8,
  remote: 9,
  conflict: 10,
};

export function exitCodeOf(error: unknown): number {
  return error instanceof ClusterError ? EXIT_CODES[error.kind] : EXIT_CODES.failure;
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
