import { missingMachineOfTargets } from '../fleet/workspace';
import type { Rule } from './rule';

/** `MachineOf=helloworld@%i.service` where no helloworld@.service exists: the unit would wait forever. */
export const fleetMachineOfMissing: Rule = {
  code: 'fleet-machineof-missing',
  defaultSeverity: 'warning',
  scope: 'workspace',
  description: 'A MachineOf= unit that no workspace file defines (neither the unit nor its template), or that names a template: fleet never schedules this unit.',
  check(ctx) {
    for (const m of missingMachineOfTargets(ctx.file, ctx.name, ctx.workspace)) ctx.report({ range: m.ref.range, message: m.message });
  },
};
