import { replacesCycles } from '../fleet/workspace';
import type { Rule } from './rule';

/** `a.service` Replaces=b.service and `b.service` Replaces=a.service: fleet ignores the pair. */
export const fleetReplacesCycle: Rule = {
  code: 'fleet-replaces-cycle',
  defaultSeverity: 'error',
  scope: 'workspace',
  description: 'Replaces= that leads back to the unit itself (two units replacing each other, a longer loop, or a template matching its own instances).',
  check(ctx) {
    for (const c of replacesCycles(ctx.file, ctx.name, ctx.workspace)) ctx.report({ range: c.ref.range, message: c.message });
  },
};
