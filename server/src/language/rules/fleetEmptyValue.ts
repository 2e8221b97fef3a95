import { fleetFileRule } from './fleetShared';

/** `MachineOf=` with nothing after it: not a reset in fleet but a value, e.g. a peer named "". */
export const fleetEmptyValue = fleetFileRule({
  code: 'fleet-empty-value',
  problem: 'empty-value',
  defaultSeverity: 'warning',
  description: 'An empty [X-Fleet] value: fleet has no reset, so it is a value of its own (an empty MachineOf= makes the unit unschedulable).',
});
