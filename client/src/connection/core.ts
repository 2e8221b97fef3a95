// The cluster core as the extension uses it (its public API, client/src/cluster/index.ts), loaded on
// first connect (`await import('./core.js')`): the SSH, etcd, gRPC and Docker clients are
// evaluated only when a cluster is used, which keeps activation fast.
export * from '../cluster/index';
export { messageOf } from '../cluster/errors';
