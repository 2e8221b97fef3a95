// Public API of the local-cluster harness, for tests, benchmarks and the CLI.
export { up, type UpOptions, type UpResult } from './up';
export { down, type DownResult } from './down';
export { kill, stop, start, partition, heal } from './machineVerbs';
export { status, type StatusReport, type MachineStatusReport } from './status';
export type { CommonOptions, Log } from './context';
export { canRunCluster, type Readiness } from './preflight';
export { clusterPaths, projectRoot, type ClusterPaths } from './paths';
export { readState, type ClusterState, type MachineState } from './state';
export { planMachines, BRIDGE, SUBNET, etcdClientUrl } from './topology';
export { IMAGE_NAME, IMAGE_PORT } from './image';
export { etcdctl, memberHealthy, ETCD_PREFIX } from './etcd';
export { sshRun, shellQuote } from './ssh';
export { tcpOpen } from './machines';
export type { ClusterDefinition, MachineDefinition } from './definition';
