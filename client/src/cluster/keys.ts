// Where Unit Fleet keeps its state in etcd, under the definition's prefix (default /unit-fleet/):
//
//   <prefix>units/<unit>          JSON UnitRecord: desired state, unit file text, requirements
//   <prefix>placement/<unit>      JSON Placement: the machine(s) the unit is scheduled on
//   <prefix>schedule              revision guard: every change of units/placement bumps it, and
//                                 every such transaction compares its mod revision (CAS)
//   <prefix>machines/<machine-id> presence, under the machine's own lease (liveness)
//   <prefix>names/<machine-name>  the machine-id last seen for a definition name
//   <prefix>reconciler/           election of the single active reconciler
export function stateKeys(prefix: string) {
  return {
    prefix,
    units: `${prefix}units/`,
    unit: (name: string) => `${prefix}units/${name}`,
    placements: `${prefix}placement/`,
    placement: (name: string) => `${prefix}placement/${name}`,
    schedule: `${prefix}schedule`,
    machines: `${prefix}machines/`,
    machine: (id: string) => `${prefix}machines/${id}`,
    names: `${prefix}names/`,
    name: (machine: string) => `${prefix}names/${machine}`,
    reconciler: `${prefix}reconciler`,
  };
}

export type StateKeys = ReturnType<typeof stateKeys>;

/** fleet's desired states. */
export type DesiredState = 'inactive' | 'loaded' | 'launched';

export interface UnitRecord {
  name: string;
  desired: DesiredState;
  /** The unit file text (for instances: the template's text). */
  text: string;
  /** sha256 of text, hex. */
  hash: string;
  /** The template it was instantiated from (`a@.service`), if any. */
  template?: string;
  /** Where the file came from on the submitting side (informational). */
  source?: string;
  updatedAt: string;
}

export interface Placement {
  /** Machine ids (one for ordinary units, several for Global ones). */
  machines: string[];
  at: string;
}
