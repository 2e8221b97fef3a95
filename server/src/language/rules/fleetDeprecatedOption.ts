import { fleetFileRule } from './fleetShared';

/** `X-ConditionMachineOf=` and the other pre-0.8 spellings: still read, renamed since. Quick fix renames. */
export const fleetDeprecatedOption = fleetFileRule({
  code: 'fleet-deprecated-option',
  problem: 'deprecated-option',
  defaultSeverity: 'warning',
  description: 'An old [X-Fleet] option name (X-ConditionMachineID, X-ConditionMachineBootID, X-ConditionMachineOf, X-ConditionMachineMetadata, X-Conflicts); offers the current name.',
});
