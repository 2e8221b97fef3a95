// The cluster core's public API, for the VS Code layer and the CLI (no `vscode` import anywhere).
export { Cluster, type ClusterOptions, type Progress } from './cluster';
export { loadDefinition, parseDefinition, definitionPath, type ClusterConfig, type ClusterSecrets, type MachineConfig } from './definition';
export { ClusterError, EXIT_CODES, exitCodeOf, type ClusterErrorKind } from './errors';
export { listMachines, PRESENCE_UNIT, PRESENCE_TTL_S, type MachineStatus, type UnitOnMachine } from './machines';
export { submit, load, start, stop, unload, destroy, restart, type LifecycleResult, type UnitOutcome } from './deploy';
export { listUnits, catUnit, machinesOfUnit, unitStatusText, type UnitStatus } from './units';
export { reconcileOnce, reconcilePass, reconcileWatch, type ReconcileReport, type WatchOptions } from './reconcile';
export { listLevel, getKey, setKey, removeKey, watchKeys, type KeyEntry, type KeyPage, type KeyValue, type KeyEvent } from './etcd/browse';
export { listV2, getV2, setV2, removeV2, waitV2, type V2Node } from './etcd/v2';
export { listContainers, containerLogs, dockerFor, containerNamesOfUnit, type ContainerInfo, type MachineContainers } from './docker';
export { unitJournal, journalTargets, formatEntry, type JournalRequest } from './journals';
export { readState, type FleetState } from './state';
export type { DesiredState, UnitRecord } from './keys';
export type { UnknownHostKey } from './ssh/pool';
