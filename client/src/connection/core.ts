// The cluster core as the extension uses it, loaded on first connect (`await import('./core')`):
// the SSH, etcd, gRPC and Docker clients are evaluated only when a cluster is used, which keeps
// activation fast. Everything here comes from client/src/cluster (no `vscode` import there).
export { Cluster } from '../cluster/cluster';
export { loadDefinition } from '../cluster/definition';
export { ClusterError, messageOf } from '../cluster/errors';
export { readState } from '../cluster/state';
export { start, stop, restart, destroy, load, unload, submit } from '../cluster/deploy';
export { listUnits, unitStatusText, catUnit, machinesOfUnit } from '../cluster/units';
export { listContainers } from '../cluster/docker';
export { unitJournal } from '../cluster/journals';
export { reconcileOnce } from '../cluster/reconcile';
export { listLevel, getKey, setKey, removeKey, watchKeys } from '../cluster/etcd/browse';
export { listV2, getV2, setV2, removeV2, waitV2 } from '../cluster/etcd/v2';
