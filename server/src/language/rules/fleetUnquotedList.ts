import { fleetFileRule } from './fleetShared';

/** `Conflicts=a.service b.service`: fleet splits only the quoted form, so this is one value with a space. */
export const fleetUnquotedList = fleetFileRule({
  code: 'fleet-unquoted-list',
  problem: 'unquoted-list',
  defaultSeverity: 'warning',
  description: 'Several values on one [X-Fleet] line without quotes: fleet reads them as one value containing spaces. Offers the quoted form "a" "b".',
});
