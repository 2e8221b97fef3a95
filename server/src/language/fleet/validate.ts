// Checks of one unit file's [X-Fleet] section with fleet's semantics, as structured problems
// (code, range, message, optional edits). The `fleet-*` rules report them; nothing here knows
// about LSP diagnostics. Cross-file checks (MachineOf targets, cycles) are in ./workspace.ts.
import type { Range } from 'vscode-languageserver-types';
import { specifierFor } from '../catalog/specifiers';
import type { Assignment, UnitFile } from '../unitFile/ast';
import { rangeInValue } from '../unitFile/parser';
import type { UnitFileName } from '../unitFile/unitName';
import { closest } from '../util/suggest';
import { globError, globMatch } from './glob';
import { FLEET_OPTIONS, FLEET_SECTION, isFleetTruthy, TEMPLATE_TYPES, type FleetOptionName } from './options';
import { fleetEntries, parseMetadataPair, type FleetEntry, type FleetValueItem } from './requirements';
import { expandFleetSpecifiers, symbolicUnitName } from './specifiers';

export type FleetProblemCode =
  | 'section-case'
  | 'unknown-option'
  | 'deprecated-option'
  | 'forbidden-combination'
  | 'peer-conflict'
  | 'global-value'
  | 'metadata-syntax'
  | 'unquoted-list'
  | 'empty-value'
  | 'invalid-glob'
  | 'unsupported-specifier'
  | 'template-type';

export interface FleetEdit {
  title: string;
  range: Range;
  newText: string;
}

export interface FleetProblem {
  code: FleetProblemCode;
  range: Range;
  message: string;
  /** Other places that take part (the other option of a forbidden pair, …). */
  related?: { range: Range; message: string }[];
  /** Quick fixes, preferred first. */
  fixes?: FleetEdit[];
  deprecated?: boolean;
}

const FALSE_WORDS = new Set(['false', 'no', '0', 'off', 'f']);

const cache = new WeakMap<UnitFile, { unitName: string | undefined; template: boolean; problems: FleetProblem[] }>();

/** Every [X-Fleet] problem of a file, computed once per parsed file (the rules share it). */
export function fleetProblems(file: UnitFile, name: UnitFileName): FleetProblem[] {
  const hit = cache.get(file);
  if (hit && hit.unitName === name.unitName && hit.template === name.template) return hit.problems;
  const problems = computeProblems(file, name);
  cache.set(file, { unitName: name.unitName, template: name.template, problems });
  return problems;
}

function itemRange(a: Assignment, item: FleetValueItem): Range {
  return rangeInValue(a, item.from, item.to);
}

/** The item without its surrounding quotes (what an edit of the value should replace). */
function innerRange(a: Assignment, item: FleetValueItem): Range {
  const v = a.value;
  if (item.to - item.from >= 2 && v[item.from] === '"' && v[item.to - 1] === '"') return rangeInValue(a, item.from + 1, item.to - 1);
  return itemRange(a, item);
}

/** Offset in the raw value of the character at `textOffset` of the item's unquoted text. */
function rawOffset(a: Assignment, item: FleetValueItem, textOffset: number): number {
  let seen = 0;
  for (let i = item.from; i < item.to; i++) {
    if (a.value[i] === '"') continue;
    if (seen === textOffset) return i;
    seen++;
  }
  return item.to;
}

function computeProblems(file: UnitFile, name: UnitFileName): FleetProblem[] {
  const problems: FleetProblem[] = [];

  if (name.template && !name.dropIn && name.type && !TEMPLATE_TYPES.includes(name.type)) {
    const first = file.lines[0] ?? '';
    problems.push({
      code: 'template-type',
      // The name is not in the text: point at the first section header (or the first line).
      range: file.sections[0]?.headerRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: first.length } },
      message: `${name.unitName} is a template, but systemd cannot instantiate .${name.type} units (only .service, .socket, .target, .timer and .path): no instance of it can ever run.`,
    });
  }

  for (const s of file.sections) {
    if (s.name !== FLEET_SECTION && s.name.toLowerCase() === FLEET_SECTION.toLowerCase()) {
      problems.push({
        code: 'section-case',
        range: s.nameRange,
        message: `fleet reads only [${FLEET_SECTION}] (the name is case-sensitive): it ignores everything in [${s.name}].`,
        fixes: [{ title: `Rename to [${FLEET_SECTION}]`, range: s.nameRange, newText: FLEET_SECTION }],
      });
    }
  }

  const entries = fleetEntries(file);
  if (entries.length === 0) return problems;
  const unitName = name.unitName ? symbolicUnitName(name.unitName, name.template) : undefined;
  const expand = (v: string) => (unitName ? expandFleetSpecifiers(v, unitName) : v);

  for (const e of entries) {
    const a = e.assignment;
    const option = e.option;
    if (!option) {
      const suggestion = closest(a.key, FLEET_OPTIONS.map((o) => o.name));
      problems.push({
        code: 'unknown-option',
        range: a.keyRange,
        message:
          `fleet does not know ${a.key}= in [${FLEET_SECTION}]: fleetctl only warns "unrecognized requirement" and no scheduler honours it.` +
          (suggestion ? ` Did you mean ${suggestion}=?` : ''),
        fixes: suggestion ? [{ title: `Change to ${suggestion}=`, range: a.keyRange, newText: suggestion }] : undefined,
      });
      continue;
    }
    if (option.deprecated) {
      const to = option.deprecated.replacement;
      problems.push({
        code: 'deprecated-option',
        range: a.keyRange,
        message: `${a.key}= is the old name of ${to}= (fleet before 0.8); fleet still reads it.${option.deprecated.note ? ` Note: ${option.deprecated.note}.` : ''}`,
        fixes: [{ title: `Rename to ${to}=`, range: a.keyRange, newText: to }],
        deprecated: true,
      });
    }
    checkValues(e, option.canonical, problems);
    checkSpecifiers(a, problems);
  }

  checkCombinations(entries, problems);
  checkPeerConflicts(entries, expand, problems);
  return problems;
}

function checkValues(e: FleetEntry, canonical: FleetOptionName, problems: FleetProblem[]): void {
  const a = e.assignment;
  let unquotedList = false;
  if (!e.quoted && /\s/.test(a.value) && canonical !== 'Global' && (canonical !== 'MachineMetadata' || a.value.split('=').length > 2)) {
    unquotedList = true;
    const words = a.value.split(/\s+/).filter(Boolean);
    const quoted = words.map((w) => `"${w}"`).join(' ');
    problems.push({
      code: 'unquoted-list',
      range: a.valueRange,
      message: `fleet reads "${a.value}" as one single value (with spaces): it splits a value only in the quoted form. Write ${a.key}=${quoted}${canonical === 'MachineOf' || canonical === 'MachineID' ? ', or one per line' : ''}.`,
      fixes: [{ title: `Quote each value: ${quoted}`, range: a.valueRange, newText: quoted }],
    });
  }

  if (a.value === '' || (e.quoted && e.items.some((i) => i.text === ''))) {
    const message = EMPTY_MESSAGES[canonical];
    if (message) problems.push({ code: 'empty-value', range: a.value === '' ? a.range : a.valueRange, message });
  }

  for (const item of e.items) {
    if (item.text === '') continue;
    switch (canonical) {
      case 'Global': {
        const lower = item.text.toLowerCase();
        if (isFleetTruthy(item.text) || FALSE_WORDS.has(lower)) break;
        const range = innerRange(a, item);
        problems.push({
          code: 'global-value',
          range,
          message: `Global=${item.text} is not one of fleet's true values (true, yes, 1, on, t — any case): fleet reads it as false.`,
          fixes: [
            { title: 'Change to true', range, newText: 'true' },
            { title: 'Change to false', range, newText: 'false' },
          ],
        });
        break;
      }
      case 'MachineMetadata': {
        if (unquotedList || parseMetadataPair(item.text)) break;
        const parts = item.text.split('=');
        const why =
          parts.length < 2
            ? `"${item.text}" is not key=value`
            : parts.length > 2
              ? `"${item.text}" has more than one "="`
              : parts[0] === ''
                ? `"${item.text}" has an empty key`
                : `"${item.text}" has an empty value`;
        problems.push({ code: 'metadata-syntax', range: itemRange(a, item), message: `${why}: fleet silently drops this pair, so it does not restrict where the unit runs.` });
        break;
      }
      case 'Conflicts':
      case 'Replaces': {
        const err = globError(item.text);
        if (!err) break;
        problems.push({
          code: 'invalid-glob',
          range: rangeInValue(a, rawOffset(a, item, err.offset), item.to - (a.value[item.to - 1] === '"' && item.to - item.from >= 2 ? 1 : 0)),
          message: `Malformed pattern "${item.text}": ${err.message}. fleet's glob (Go path.Match) then matches no unit at all.`,
        });
        break;
      }
      default:
        break;
    }
  }
}

const EMPTY_MESSAGES: Partial<Record<FleetOptionName, string>> = {
  MachineID: 'An empty MachineID= is not a reset in fleet: it pins the unit to a machine with an empty ID, i.e. to none. Remove the line.',
  MachineOf: 'An empty MachineOf= is not a reset in fleet: it names a unit called "", so this unit can never be scheduled. Remove the line.',
  MachineMetadata: 'An empty MachineMetadata= value is not a reset in fleet; it is ignored. Remove it.',
  Conflicts: 'An empty Conflicts= value is not a reset in fleet: it is a pattern that matches nothing, yet it still counts as Conflicts= for the forbidden combinations. Remove it.',
  Replaces: 'An empty Replaces= value is not a reset in fleet: it matches nothing, yet it still counts as Replaces= for the forbidden combinations. Remove it.',
};

function checkSpecifiers(a: Assignment, problems: FleetProblem[]): void {
  if (!a.value.includes('%')) return;
  for (const m of a.value.matchAll(/%([\s\S])/g)) {
    const letter = m[1];
    if (letter === 'n' || letter === 'N' || letter === 'p' || letter === 'i') continue;
    const at = m.index ?? 0;
    const range = rangeInValue(a, at, at + 2);
    let message: string;
    if (letter === '%') message = 'fleet has no %% escape in [X-Fleet]: both % signs stay, and a following n, N, p or i is still expanded.';
    else {
      const s = specifierFor(letter);
      message = s
        ? `fleet does not expand %${letter} (${s.meaning}) in [X-Fleet]: only %n %N %p %i are expanded, so the value keeps the literal text "%${letter}".`
        : `%${letter} is not a specifier; fleet keeps it literally (it expands only %n %N %p %i in [X-Fleet]).`;
    }
    problems.push({ code: 'unsupported-specifier', range, message });
  }
}

type Group = 'MachineID' | 'MachineOf' | 'Conflicts' | 'Global' | 'Replaces';

/** api/units.go ValidateOptions: the pairs fleet refuses, in its order, with its error text. */
const FORBIDDEN: readonly [Group, Group, string][] = [
  ['MachineID', 'MachineOf', 'MachineID cannot be used with Peers'],
  ['MachineID', 'Conflicts', 'MachineID cannot be used with Conflicts'],
  ['MachineID', 'Global', 'MachineID cannot be used with Global'],
  ['MachineID', 'Replaces', 'MachineID cannot be used with Replaces'],
  ['Global', 'MachineOf', 'Global cannot be used with Peers'],
  ['Global', 'Replaces', 'Global cannot be used with Replaces'],
  ['Conflicts', 'Replaces', 'Conflicts cannot be used with Replaces'],
];

function checkCombinations(entries: FleetEntry[], problems: FleetProblem[]): void {
  const groups = new Map<Group, Assignment[]>();
  let lastGlobal: FleetEntry | undefined;
  for (const e of entries) {
    const c = e.option?.canonical;
    if (!c || c === 'MachineMetadata') continue;
    if (c === 'Global') {
      lastGlobal = e;
      continue;
    }
    const list = groups.get(c) ?? [];
    list.push(e.assignment);
    groups.set(c, list);
  }
  // Global counts only when the unit is global: the last value decides.
  if (lastGlobal && lastGlobal.items.length > 0 && isFleetTruthy(lastGlobal.items[lastGlobal.items.length - 1].text)) {
    groups.set('Global', [lastGlobal.assignment]);
  }
  const clashes = new Map<Assignment, { others: Assignment[]; reasons: string[] }>();
  const note = (a: Assignment, others: Assignment[], reason: string) => {
    const c = clashes.get(a) ?? { others: [], reasons: [] };
    c.others.push(...others);
    if (!c.reasons.includes(reason)) c.reasons.push(reason);
    clashes.set(a, c);
  };
  for (const [x, y, reason] of FORBIDDEN) {
    const xs = groups.get(x);
    const ys = groups.get(y);
    if (!xs || !ys) continue;
    for (const a of xs) note(a, ys, reason);
    for (const b of ys) note(b, xs, reason);
  }
  const ordered = [...clashes.entries()].sort(([a], [b]) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  for (const [a, { others, reasons }] of ordered) {
    const keys = [...new Set(others.map((o) => `${o.key}=`))];
    problems.push({
      code: 'forbidden-combination',
      range: a.keyRange,
      message: `${a.key}= cannot be combined with ${keys.join(' or ')}${a.key === 'Global' || keys.includes('Global=') ? ' (Global=true)' : ''}: fleet refuses the unit ("${reasons.join('"; "')}").`,
      related: others.map((o) => ({ range: o.keyRange, message: `${o.key}= set here` })),
    });
  }
}

/** api/units.go: a MachineOf= peer matched by the unit's own Conflicts= (or Replaces=) pattern can never be satisfied. */
function checkPeerConflicts(entries: FleetEntry[], expand: (v: string) => string, problems: FleetProblem[]): void {
  const peers: { e: FleetEntry; item: FleetValueItem }[] = [];
  const patterns: { e: FleetEntry; item: FleetValueItem; kind: 'Conflicts' | 'Replaces' }[] = [];
  for (const e of entries) {
    const c = e.option?.canonical;
    for (const item of e.items) {
      if (item.text === '') continue;
      if (c === 'MachineOf') peers.push({ e, item });
      else if (c === 'Conflicts' || c === 'Replaces') patterns.push({ e, item, kind: c });
    }
  }
  if (peers.length === 0 || patterns.length === 0) return;
  for (const peer of peers) {
    for (const p of patterns) {
      if (!(globMatch(p.item.text, peer.item.text) || globMatch(expand(p.item.text), expand(peer.item.text)))) continue;
      const pa = p.e.assignment;
      problems.push({
        code: 'peer-conflict',
        range: itemRange(peer.e.assignment, peer.item),
        message:
          p.kind === 'Conflicts'
            ? `${peer.e.assignment.key}=${peer.item.text} must run on the same machine, but ${pa.key}=${p.item.text} forbids sharing a machine with it: fleet refuses the unit ("unresolvable requirements").`
            : `${peer.e.assignment.key}=${peer.item.text} must run on the same machine, but ${pa.key}=${p.item.text} would push it off that machine: fleet refuses the unit ("unresolvable requirements").`,
        related: [{ range: itemRange(pa, p.item), message: `${pa.key}=${p.item.text}` }],
      });
      break;
    }
  }
}
