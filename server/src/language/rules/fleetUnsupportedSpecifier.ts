import { fleetFileRule } from './fleetShared';

/** `MachineOf=sidekick-%H.service`: fleet expands only %n %N %p %i; other specifiers stay literal. */
export const fleetUnsupportedSpecifier = fleetFileRule({
  code: 'fleet-unsupported-specifier',
  problem: 'unsupported-specifier',
  defaultSeverity: 'error',
  description: 'A % specifier in [X-Fleet] other than %n %N %p %i (including %%): fleet does not expand it and the value keeps the literal text.',
});
