import { fleetFileRule } from './fleetShared';

/** `MachineID=` with `MachineOf=`, `Global=true` with `Replaces=`, …: fleet refuses to submit the unit. */
export const fleetForbiddenCombination = fleetFileRule({
  code: 'fleet-forbidden-combination',
  problem: 'forbidden-combination',
  defaultSeverity: 'error',
  description: 'Options fleet refuses together: MachineID with MachineOf/Conflicts/Global/Replaces, Global=true with MachineOf/Replaces, Conflicts with Replaces.',
});
