// An independent check of a placement against every [X-Fleet] rule, written plainly (no shared
// code with the scheduler beyond the glob matcher): used by the tests, and by anyone who reads a
// placement back (e.g. from etcd after concurrent writers) and wants to know it is sound.
import { globMatch } from '../../../../server/src/language/fleet/glob';
import type { MachineState, PlacementInput, ScheduledUnit } from './types';

function words(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(/\s+/)).filter(Boolean);
}

function conflict(a: ScheduledUnit, b: ScheduledUnit): boolean {
  if (a.name === b.name) return false;
  return words(a.requirements.conflicts).some((p) => globMatch(p, b.name)) || words(b.requirements.conflicts).some((p) => globMatch(p, a.name));
}

function replaces(a: ScheduledUnit, b: ScheduledUnit): boolean {
  if (a.name === b.name || a.requirements.global || b.requirements.global) return false;
  const ab = a.requirements.replaces.some((p) => globMatch(p, b.name));
  const ba = b.requirements.replaces.some((p) => globMatch(p, a.name));
  return ab && !ba;
}

function metadataOk(u: ScheduledUnit, m: MachineState): boolean {
  return Object.entries(u.requirements.metadata).every(([k, values]) => Object.prototype.hasOwnProperty.call(m.metadata, k) && values.includes(m.metadata[k]));
}

/** Every way `placement` breaks the rules; empty when it is sound. */
export function placementViolations(units: readonly ScheduledUnit[], machines: readonly MachineState[], placement: PlacementInput): string[] {
  const out: string[] = [];
  const unitByName = new Map(units.map((u) => [u.name, u]));
  const machineById = new Map(machines.map((m) => [m.id, m]));
  const on = new Map<string, string[]>();
  for (const [name, raw] of Object.entries(placement)) on.set(name, typeof raw === 'string' ? [raw] : [...raw]);
  const byMachine = new Map<string, ScheduledUnit[]>();

  for (const [name, ids] of on) {
    const u = unitByName.get(name);
    if (!u) {
      out.push(`${name} is placed but is not among the units`);
      continue;
    }
    if (ids.length === 0) out.push(`${name} has an empty machine list`);
    if (!u.requirements.global && ids.length > 1) out.push(`${name} is placed on ${ids.length} machines`);
    if (new Set(ids).size !== ids.length) out.push(`${name} lists a machine twice`);
    for (const id of ids) {
      const m = machineById.get(id);
      if (!m) {
        out.push(`${name} is on unknown machine ${id}`);
        continue;
      }
      if (!m.alive) out.push(`${name} is on ${id}, which is down`);
      if (!metadataOk(u, m)) out.push(`${name} is on ${id}, which lacks its metadata`);
      if (!u.requirements.global) {
        const pin = u.requirements.machineId;
        if (pin !== undefined && pin !== id && id.slice(0, 8) !== pin) out.push(`${name} is on ${id} but MachineID is ${pin}`);
        for (const t of u.requirements.machineOf) {
          if (t === name) out.push(`${name} names itself in MachineOf`);
          else if (!(on.get(t) ?? []).includes(id)) out.push(`${name} is on ${id} but its MachineOf target ${t} is not`);
        }
      }
      const list = byMachine.get(id) ?? [];
      list.push(u);
      byMachine.set(id, list);
    }
  }
  for (const [id, list] of byMachine) {
    for (let i = 0; i < list.length; i++) {
      for (let j = 0; j < list.length; j++) {
        if (i < j && conflict(list[i], list[j])) out.push(`${list[i].name} and ${list[j].name} conflict but share ${id}`);
        if (i !== j && replaces(list[i], list[j])) out.push(`${list[i].name} replaces ${list[j].name} but they share ${id}`);
      }
    }
  }
  return out.sort();
}
