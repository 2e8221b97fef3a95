import { fleetFileRule } from './fleetShared';

/** `[X-FLEET]`, `[x-fleet]`: fleet reads only `[X-Fleet]`, so the whole section is ignored. */
export const fleetSectionCase = fleetFileRule({
  code: 'fleet-section-case',
  problem: 'section-case',
  defaultSeverity: 'warning',
  description: 'A section spelled like [X-Fleet] in another case: fleet reads only [X-Fleet] and ignores it. Offers the rename.',
});
