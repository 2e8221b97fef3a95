// Cross-file fleet checks over the workspace index: MachineOf= targets that no file defines,
// MachineOf= cycles (mutual co-location) and Replaces= cycles. Each file's requirements are
// derived once per file revision (WorkspaceIndex.derive); the Replaces graph once per workspace
// generation. Templates are read under their symbolic instance name (`foo@%i.service`).
import type { Range } from 'vscode-languageserver-types';
import type { Assignment, UnitFile } from '../unitFile/ast';
import { parseUnitName, type UnitFileName } from '../unitFile/unitName';
import { closest } from '../util/suggest';
import type { IndexedUnit, WorkspaceIndex } from '../workspace/workspaceIndex';
import { globMatch, isGlobPattern } from './glob';
import { FLEET_SECTION } from './options';
import { fleetEntries, fleetRequirements, type FleetValueItem } from './requirements';
import { expandFleetSpecifiers, isInstanceOf, symbolicUnitName } from './specifiers';
import { NO_REQUIREMENTS, type FleetRequirements } from './types';
import { rangeInValue } from '../unitFile/parser';

const SECTION_MARK = `[${FLEET_SECTION}]`;

/** The name a workspace file is checked under: its unit name, or `foo@%i.service` for a template. */
export function checkedName(name: UnitFileName): string | undefined {
  return name.unitName && !name.dropIn ? symbolicUnitName(name.unitName, name.template) : undefined;
}

/**
 * The requirements of a workspace unit when it runs as `unitName` (default: its checked name),
 * computed once per file revision.
 */
export function requirementsOf(workspace: WorkspaceIndex, unit: IndexedUnit, unitName?: string): FleetRequirements {
  const own = checkedName(unit.name);
  const asName = unitName ?? own;
  if (!asName) return NO_REQUIREMENTS;
  // Cheap text test first: most unit files have no [X-Fleet] and need not even be parsed.
  if (!unit.text.includes(SECTION_MARK)) return NO_REQUIREMENTS;
  const kind = asName === own ? 'fleet' : `fleet:${asName}`;
  return workspace.derive(unit, kind, (u) => fleetRequirements(u.file, asName));
}

/** A value of the file being checked, expanded, with its range. */
export interface FleetReference {
  /** Expanded for the file's checked name. */
  target: string;
  raw: string;
  range: Range;
  assignment: Assignment;
}

function references(file: UnitFile, name: UnitFileName, canonical: 'MachineOf' | 'Replaces'): FleetReference[] {
  const own = checkedName(name);
  const refs: FleetReference[] = [];
  for (const e of fleetEntries(file)) {
    if (e.option?.canonical !== canonical) continue;
    for (const item of e.items) {
      if (item.text === '') continue;
      refs.push({ target: own ? expandFleetSpecifiers(item.text, own) : item.text, raw: item.text, range: valueRange(e.assignment, item), assignment: e.assignment });
    }
  }
  return refs;
}

function valueRange(a: Assignment, item: FleetValueItem): Range {
  return rangeInValue(a, item.from, item.to);
}

export interface MissingTarget {
  ref: FleetReference;
  message: string;
}

/** MachineOf= targets that neither a workspace file nor a template defines (or that name a template). */
export function missingMachineOfTargets(file: UnitFile, name: UnitFileName, workspace: WorkspaceIndex): MissingTarget[] {
  const own = checkedName(name);
  const result: MissingTarget[] = [];
  for (const ref of references(file, name, 'MachineOf')) {
    const t = ref.target;
    if (t === own || /\s/.test(t)) continue; // a cycle of one / an unquoted list: other rules say so
    if (t.replace(/@%i\./, '@.').includes('%')) continue; // an unexpanded specifier: reported as such
    const parsed = parseUnitName(t);
    if (parsed && parsed.instance === '') {
      const why = /%i/.test(ref.raw) && !name.template ? ` (%i is empty in a unit that is not a template, so ${ref.raw} expands to ${t})` : '';
      result.push({ ref, message: `MachineOf=${t} names a template${why}: fleet never schedules a template, so this unit can never be placed.` });
      continue;
    }
    if (workspace.findUnit(t).length > 0) continue;
    const suggestion = closest(t, workspace.unitNames().map((n) => (name.template && n.includes('@.') ? n.replace('@.', '@%i.') : n)));
    const hint = parsed ? '' : ' It has no unit type suffix: fleet needs the exact unit name (e.g. foo.service).';
    result.push({
      ref,
      message: `MachineOf=${t}: no unit file in the workspace defines ${parsed?.instance ? `${t} or its template ${parsed.prefix}@.${parsed.type}` : t}. fleet keeps this unit unscheduled until a unit of that name exists.${hint}${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
    });
  }
  return result;
}

export interface FleetCycle {
  ref: FleetReference;
  /** The names along the cycle, starting and ending with this file's name. */
  path: string[];
  message: string;
}

const MAX_VISITS = 256;

/**
 * MachineOf= cycles through this file: A → B → A (mutual, which fleet cannot schedule), or a
 * unit naming itself; longer cycles too. Names are expanded at every step (an instance's targets
 * are those of its template, expanded for that instance).
 */
export function machineOfCycles(file: UnitFile, name: UnitFileName, workspace: WorkspaceIndex): FleetCycle[] {
  const own = checkedName(name);
  if (!own) return [];
  const successors = (n: string): string[] => {
    const out: string[] = [];
    for (const u of workspace.findUnit(n)) for (const t of requirementsOf(workspace, u, n).machineOf) if (t !== '' && !out.includes(t)) out.push(t);
    return out;
  };
  const cycles: FleetCycle[] = [];
  for (const ref of references(file, name, 'MachineOf')) {
    if (ref.target === own) {
      cycles.push({ ref, path: [own, own], message: `MachineOf=${ref.raw} names this unit itself: it waits for itself and is never scheduled.` });
      continue;
    }
    // Depth-first search for a way back to this unit.
    let visits = 0;
    const onPath = new Set<string>([own]);
    const path: string[] = [own];
    const seen = new Set<string>();
    const dfs = (n: string): string[] | undefined => {
      if (n === own) return [...path, n];
      if (onPath.has(n) || seen.has(n) || ++visits > MAX_VISITS) return undefined;
      seen.add(n);
      onPath.add(n);
      path.push(n);
      for (const next of successors(n)) {
        const found = dfs(next);
        if (found) return found;
      }
      path.pop();
      onPath.delete(n);
      return undefined;
    };
    const found = dfs(ref.target);
    if (!found) continue;
    const mutual = found.length === 3;
    cycles.push({
      ref,
      path: found,
      message: mutual
        ? `MachineOf= is mutual: ${found[0]} → ${found[1]} → ${found[2]}. Each unit waits for the other to be placed first, so fleet schedules neither.`
        : `MachineOf= cycle: ${found.join(' → ')}. Each unit waits for the next to be placed first, so fleet schedules none of them.`,
    });
  }
  return cycles;
}

interface ReplacesTarget {
  name: string;
  /** The template file name (`foo@.service`) when the node stands for a template's instances. */
  template: string | undefined;
}

interface ReplacesNode extends ReplacesTarget {
  patterns: string[];
}

interface ReplacesGraph {
  generation: number;
  nodes: ReplacesNode[];
}

const graphs = new WeakMap<WorkspaceIndex, ReplacesGraph>();

/** The units that have Replaces= (only they can be on a cycle), rebuilt once per workspace generation. */
function replacesNodes(workspace: WorkspaceIndex): ReplacesNode[] {
  const hit = graphs.get(workspace);
  if (hit && hit.generation === workspace.generation) return hit.nodes;
  const nodes: ReplacesNode[] = [];
  for (const unit of workspace.units()) {
    if (!unit.text.includes('Replaces')) continue;
    const name = checkedName(unit.name);
    if (!name) continue;
    const reqs = requirementsOf(workspace, unit);
    const patterns = reqs.replaces.filter((p) => p !== '');
    if (patterns.length > 0) nodes.push({ name, template: unit.name.template ? unit.name.unitName : undefined, patterns });
  }
  graphs.set(workspace, { generation: workspace.generation, nodes });
  return nodes;
}

/** Does a Replaces= pattern of `from` hit the unit `to`? (A template stands for its instances.) */
function hits(pattern: string, fromName: string, to: ReplacesTarget): boolean {
  if (globMatch(pattern, to.name)) return true;
  if (fromName === to.name) return false;
  return to.template !== undefined && !isGlobPattern(pattern) && isInstanceOf(pattern, to.template);
}

/**
 * Replaces= cycles through this file: A replaces B and B replaces A (fleet ignores such a pair),
 * or longer loops; for a template, a pattern that matches its own other instances.
 */
export function replacesCycles(file: UnitFile, name: UnitFileName, workspace: WorkspaceIndex): FleetCycle[] {
  const own = checkedName(name);
  if (!own) return [];
  const refs = references(file, name, 'Replaces');
  if (refs.length === 0) return [];
  const nodes = replacesNodes(workspace).filter((n) => n.name !== own);
  const cycles: FleetCycle[] = [];
  for (const ref of refs) {
    if (name.template && globMatch(ref.target, own)) {
      cycles.push({
        ref,
        path: [own, own],
        message: `Replaces=${ref.raw} matches the other instances of this template: every instance would replace the others, a mutual replacement that fleet ignores.`,
      });
      continue;
    }
    const start = nodes.filter((n) => hits(ref.target, own, n));
    const found = searchBack(start, own, name, nodes);
    if (!found) continue;
    const full = [own, ...found, own];
    cycles.push({
      ref,
      path: full,
      message:
        full.length === 3
          ? `Replaces= goes both ways: ${full.join(' → ')}. fleet ignores a replacement in both directions, so neither unit displaces the other.`
          : `Replaces= cycle: ${full.join(' → ')}. The units would keep displacing each other around the cluster.`,
    });
  }
  return cycles;
}

function searchBack(start: ReplacesNode[], own: string, name: UnitFileName, nodes: ReplacesNode[]): string[] | undefined {
  const target: ReplacesTarget = { name: own, template: name.template ? name.unitName : undefined };
  const seen = new Set<ReplacesNode>();
  const path: string[] = [];
  let visits = 0;
  const dfs = (n: ReplacesNode): string[] | undefined => {
    if (seen.has(n) || ++visits > MAX_VISITS) return undefined;
    seen.add(n);
    path.push(n.name);
    if (n.patterns.some((p) => hits(p, n.name, target))) return [...path];
    for (const next of nodes) {
      if (next !== n && n.patterns.some((p) => hits(p, n.name, next))) {
        const found = dfs(next);
        if (found) return found;
      }
    }
    path.pop();
    return undefined;
  };
  for (const s of start) {
    const found = dfs(s);
    if (found) return found;
  }
  return undefined;
}
