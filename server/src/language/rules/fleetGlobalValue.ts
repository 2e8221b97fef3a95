import { fleetFileRule } from './fleetShared';

/** `Global=y`, `Global=enabled`: not one of fleet's true values, so the unit is not global. */
export const fleetGlobalValue = fleetFileRule({
  code: 'fleet-global-value',
  problem: 'global-value',
  defaultSeverity: 'warning',
  description: 'A Global= value fleet does not read as true (only true, yes, 1, on, t in any case) nor as an obvious false: fleet treats it as false.',
});
