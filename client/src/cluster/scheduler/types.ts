// The scheduler's inputs and outputs. Pure data: no `vscode`, no I/O, JSON-friendly (a placement
// is what gets written to etcd and printed by `unit-fleet list-units --json`).
import type { FleetRequirements } from '../../../../server/src/language/fleet/types';

export type { FleetRequirements };

/** A unit to schedule: its full name (instances included, e.g. `helloworld@1.service`) and its [X-Fleet] requirements. */
export interface ScheduledUnit {
  name: string;
  requirements: FleetRequirements;
}

/** A machine as the scheduler sees it. */
export interface MachineState {
  /** The machine-id (`/etc/machine-id`, 32 hex digits on real machines). */
  id: string;
  /** Shown in reasons instead of the id when present. */
  hostname?: string;
  /** fleet's machine metadata, `key → value`. */
  metadata: Record<string, string>;
  /** Whether the machine is up (its liveness lease is held). Units on dead machines are rescheduled. */
  alive: boolean;
}

/**
 * Where units run: unit name → ids of the machines that run it, sorted. A non-global unit has
 * exactly one machine; a global unit has one entry per machine it runs on. Units that are not
 * placed are absent.
 */
export type Placement = Record<string, string[]>;

/** A placement as accepted on input: a single machine id is accepted in place of a one-element list. */
export type PlacementInput = Readonly<Record<string, string | readonly string[]>>;

/** A unit that could not be placed, with the reasons in plain words. */
export interface Unschedulable {
  unit: string;
  reasons: string[];
}

/** A unit that had to leave a machine of the current placement. */
export interface Eviction {
  unit: string;
  /** The machine it was on. */
  from: string;
  /** The machine it was placed on instead, when it could be placed. */
  to?: string;
  /** Why it left, in plain words. */
  reason: string;
}

export interface ScheduleResult {
  placement: Placement;
  /** Units that could not be placed anywhere, sorted by name. Global units appear only when they fit no machine. */
  unschedulable: Unschedulable[];
  /** Non-global units of the current placement that had to move or stop, sorted by unit then machine. */
  evicted: Eviction[];
}
