// fleet's scheduler as pure functions (no `vscode`, no I/O).
export { schedule } from './schedule';
export { explain, type MachineFit, type UnitExplanation } from './explain';
export { placementViolations } from './check';
export type { Eviction, FleetRequirements, MachineState, Placement, PlacementInput, ScheduledUnit, ScheduleResult, Unschedulable } from './types';
