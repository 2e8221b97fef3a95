// A unit's fleet requirements, read from its [X-Fleet] section(s) the way fleet reads them:
//  - values are split only in the quoted form (`"a" "b"`: unit/unit.go parseMultivalueLine);
//    an unquoted value is one value, spaces included;
//  - every value is expanded with %n %N %p %i for the unit's name (job.go unitPrintf);
//  - MachineID: the first value of MachineID, else of X-ConditionMachineID, else of
//    X-ConditionMachineBootID (RequiredTarget);
//  - MachineOf: X-ConditionMachineOf values, then MachineOf values (Peers);
//  - Conflicts: X-Conflicts values, then Conflicts values (Conflicts);
//  - MachineMetadata: X-ConditionMachineMetadata, then MachineMetadata; a value is a pair only
//    when it splits on `=` into exactly two non-empty parts, otherwise it is dropped
//    (RequiredTargetMetadata); AND across keys, OR across the values of one key;
//  - Global: the last value, true for true/yes/1/on/t in any case (IsGlobal);
//  - Replaces: Replaces values (no alias).
// Empty values are kept where fleet keeps them (fleet has no "reset"): `MachineOf=` is a peer
// named "" — the unit can never be scheduled.
import type { Assignment, UnitFile } from '../unitFile/ast';
import { globMatch } from './glob';
import { FLEET_SECTION, fleetOption, isFleetTruthy, type FleetOption } from './options';
import { expandFleetSpecifiers } from './specifiers';
import type { FleetRequirements } from './types';

export type { FleetRequirements } from './types';

/** One value of an [X-Fleet] assignment, with its place in `Assignment.value`. */
export interface FleetValueItem {
  /** The value as fleet sees it before expansion (quotes removed). */
  text: string;
  /** Offsets in the raw assignment value covering this item (quotes included). */
  from: number;
  to: number;
}

/** fleet's split of one assignment value (parseMultivalueLine), with source offsets. */
export function splitFleetValue(value: string): { quoted: boolean; items: FleetValueItem[] } {
  if (!(value.startsWith('"') && value.endsWith('"'))) return { quoted: false, items: [{ text: value, from: 0, to: value.length }] };
  const items: FleetValueItem[] = [];
  let text = '';
  let from = 0;
  let inQuotes = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') {
      inQuotes = !inQuotes;
      continue;
    }
    if (c === ' ' && !inQuotes) {
      items.push({ text, from, to: i });
      text = '';
      from = i + 1;
      continue;
    }
    text += c;
  }
  items.push({ text, from, to: value.length });
  return { quoted: true, items };
}

/** An assignment of an [X-Fleet] section as fleet reads it. */
export interface FleetEntry {
  assignment: Assignment;
  /** undefined for keys fleet does not know. */
  option: FleetOption | undefined;
  /** True when the value is in the quoted multi-value form. */
  quoted: boolean;
  items: FleetValueItem[];
}

/** Every assignment in sections named exactly `[X-Fleet]` (fleet merges repeated sections), in document order. */
export function fleetEntries(file: UnitFile): FleetEntry[] {
  const entries: FleetEntry[] = [];
  for (const section of file.sections) {
    if (section.name !== FLEET_SECTION) continue;
    for (const a of section.entries) {
      const { quoted, items } = splitFleetValue(a.value);
      entries.push({ assignment: a, option: fleetOption(a.key), quoted, items });
    }
  }
  return entries;
}

export function hasFleetSection(file: UnitFile): boolean {
  return file.sections.some((s) => s.name === FLEET_SECTION);
}

/** A key/value pair of the [X-Fleet] section (e.g. from fleet's stored unit options). */
export interface FleetOptionPair {
  key: string;
  value: string;
}

/**
 * The scheduling requirements of the unit `unitName` whose unit file is `file`, exactly as fleet
 * derives them. For a template file checked on its own, pass an instance name (or
 * `symbolicUnitName`) — fleet never schedules the template itself.
 */
export function fleetRequirements(file: UnitFile, unitName: string): FleetRequirements {
  return fleetRequirementsFromPairs(
    fleetEntries(file).map((e) => ({ key: e.assignment.key, value: e.assignment.value })),
    unitName,
  );
}

/** The same, from [X-Fleet] key/value pairs in file order (what fleet stores per unit). */
export function fleetRequirementsFromPairs(pairs: Iterable<FleetOptionPair>, unitName: string): FleetRequirements {
  const values = new Map<string, string[]>();
  for (const { key, value } of pairs) {
    let list = values.get(key);
    if (!list) values.set(key, (list = []));
    for (const item of splitFleetValue(value).items) list.push(expandFleetSpecifiers(item.text, unitName));
  }
  const get = (key: string) => values.get(key) ?? [];

  const machineId = [get('MachineID'), get('X-ConditionMachineID'), get('X-ConditionMachineBootID')].find((v) => v.length > 0)?.[0];
  // A Map first, then fromEntries: keys such as "__proto__" become plain own properties.
  const byKey = new Map<string, string[]>();
  for (const pair of [...get('X-ConditionMachineMetadata'), ...get('MachineMetadata')]) {
    const kv = parseMetadataPair(pair);
    if (!kv) continue;
    const list = byKey.get(kv.key) ?? [];
    if (!list.includes(kv.value)) list.push(kv.value);
    byKey.set(kv.key, list);
  }
  const metadata: Record<string, string[]> = Object.fromEntries(byKey);
  const global = get('Global');
  const result: FleetRequirements = {
    machineOf: [...get('X-ConditionMachineOf'), ...get('MachineOf')],
    metadata,
    conflicts: [...get('X-Conflicts'), ...get('Conflicts')],
    global: global.length > 0 && isFleetTruthy(global[global.length - 1]),
    replaces: [...get('Replaces')],
  };
  if (machineId !== undefined) result.machineId = machineId;
  return result;
}

/** fleet's reading of one MachineMetadata value: exactly one `=`, both sides non-empty; otherwise fleet drops it. */
export function parseMetadataPair(value: string): { key: string; value: string } | undefined {
  const parts = value.split('=');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  return { key: parts[0], value: parts[1] };
}

/** fleet's metadata test (machine.HasMetadata): every required key present with one of its accepted values. */
export function machineHasMetadata(required: Record<string, string[]>, machine: Record<string, string>): boolean {
  for (const key of Object.keys(required)) {
    if (!Object.prototype.hasOwnProperty.call(machine, key)) return false;
    if (!required[key].includes(machine[key])) return false;
  }
  return true;
}

/** fleet's MachineID test (MachineState.MatchID): the full ID, or its first 8 characters. */
export function machineIdMatches(required: string, machineId: string): boolean {
  return required === machineId || (machineId.length > 8 ? machineId.slice(0, 8) : machineId) === required;
}

/**
 * fleet's conflict test between two units on one machine (agent/state.go hasConflict): either
 * unit's Conflicts= patterns match the other's name. A unit never conflicts with itself.
 */
export function unitsConflict(aName: string, a: FleetRequirements, bName: string, b: FleetRequirements): boolean {
  if (aName === bName) return false;
  return a.conflicts.some((p) => globMatch(p, bName)) || b.conflicts.some((p) => globMatch(p, aName));
}

/**
 * fleet's replace test between two units meeting on one machine (agent/state.go hasReplace):
 * true when exactly one of them has a Replaces= pattern (glob, like Conflicts=) matching the
 * other's name — that one displaces the other. When both match each other fleet ignores the
 * pair; a unit never replaces itself.
 */
export function replaceApplies(aName: string, a: FleetRequirements, bName: string, b: FleetRequirements): boolean {
  if (aName === bName) return false;
  const forward = a.replaces.some((p) => globMatch(p, bName));
  const backward = b.replaces.some((p) => globMatch(p, aName));
  return forward !== backward;
}
