import { fleetFileRule } from './fleetShared';

/** `MachineOf=web@1.service` with `Conflicts=web@*`: the unit must and must not share a machine with it. */
export const fleetPeerConflict = fleetFileRule({
  code: 'fleet-peer-conflict',
  problem: 'peer-conflict',
  defaultSeverity: 'error',
  description: 'A MachineOf= unit that the same unit\'s Conflicts= or Replaces= pattern matches: unresolvable, fleet refuses the unit.',
});
