import { machineOfCycles } from '../fleet/workspace';
import type { Rule } from './rule';

/** `a.service` MachineOf=b.service and `b.service` MachineOf=a.service: each waits for the other. */
export const fleetMutualMachineOf: Rule = {
  code: 'fleet-mutual-machineof',
  defaultSeverity: 'error',
  scope: 'workspace',
  description: 'MachineOf= that leads back to the unit itself (mutual, or a longer cycle, after instance expansion): fleet can schedule none of the units.',
  check(ctx) {
    for (const c of machineOfCycles(ctx.file, ctx.name, ctx.workspace)) ctx.report({ range: c.ref.range, message: c.message });
  },
};
