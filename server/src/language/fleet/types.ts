// fleet's scheduling requirements of one unit, as read from its [X-Fleet] section (with %n %N
// %p %i expanded for the unit's name). Shared by the language rules and the cluster scheduler.

export interface FleetRequirements {
  /** MachineID= (or X-ConditionMachineID=): the unit may only run on this machine. */
  machineId?: string;
  /** MachineOf= (or X-ConditionMachineOf=): run on the machine that runs these units. */
  machineOf: string[];
  /**
   * MachineMetadata= (or X-ConditionMachineMetadata=): key → accepted values. A machine
   * qualifies when, for every key, its value is one of the accepted ones (AND across keys,
   * OR across repeated values of the same key).
   */
  metadata: Record<string, string[]>;
  /** Conflicts= (or X-Conflicts=): glob patterns of unit names that must not share a machine (applies both ways). */
  conflicts: string[];
  /** Global=: run on every (qualifying) machine. */
  global: boolean;
  /** Replaces=: unit names this unit displaces from its machine. */
  replaces: string[];
}

export const NO_REQUIREMENTS: FleetRequirements = Object.freeze({ machineOf: [], metadata: {}, conflicts: [], global: false, replaces: [] }) as FleetRequirements;
