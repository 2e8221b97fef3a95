import { fleetFileRule } from './fleetShared';

/** `MachineMetadata=region`, `=eu`, `a=b=c`: not a key=value pair, silently dropped by fleet. */
export const fleetMetadataSyntax = fleetFileRule({
  code: 'fleet-metadata-syntax',
  problem: 'metadata-syntax',
  defaultSeverity: 'error',
  description: 'A MachineMetadata= value that is not key=value with exactly one "=" and non-empty sides; fleet drops it and the unit may run anywhere.',
});
