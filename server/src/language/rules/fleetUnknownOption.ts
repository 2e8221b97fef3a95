import { fleetFileRule } from './fleetShared';

/** `MachineOff=`, `Weight=` in [X-Fleet]: a key fleet does not know. Suggests the closest option. */
export const fleetUnknownOption = fleetFileRule({
  code: 'fleet-unknown-option',
  problem: 'unknown-option',
  defaultSeverity: 'error',
  description: 'A key in [X-Fleet] that fleet does not know (fleet only warns and never applies it); suggests the closest option.',
});
