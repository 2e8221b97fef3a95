import { fleetFileRule } from './fleetShared';

/** `Conflicts=web@[0-9.service`: a malformed pattern, which fleet's glob never matches. */
export const fleetInvalidGlob = fleetFileRule({
  code: 'fleet-invalid-glob',
  problem: 'invalid-glob',
  defaultSeverity: 'warning',
  description: 'A malformed Conflicts=/Replaces= glob (unclosed [, trailing \\, …): fleet\'s matcher (Go path.Match) never matches it.',
});
