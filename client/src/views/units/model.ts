// The Units view's rows from a snapshot (no `vscode` import): every unit of the registry with its
// desired state, its placement and systemd's state on each of its machines (from the machines'
// probe, so no extra SSH round trip); instances grouped under their template.
import type { DesiredState } from '../../cluster/keys';
import type { ClusterSnapshot } from '../../connection/snapshot';

export interface UnitMachineState {
  machine: string;
  load?: string;
  active?: string;
  sub?: string;
  /** The machine is down or did not answer: its state is unknown. */
  unknown?: boolean;
}

export interface UnitRow {
  name: string;
  desired: DesiredState;
  template?: string;
  /** Where the registry places it (machine names). */
  machines: string[];
  states: UnitMachineState[];
  updatedAt?: string;
  source?: string;
}

export interface TemplateGroup {
  template: string;
  /** The template's own record, when it was submitted. */
  record?: UnitRow;
  instances: UnitRow[];
}

export type UnitsModel = Array<{ kind: 'unit'; row: UnitRow } | { kind: 'template'; group: TemplateGroup }>;

export function unitRows(snapshot: ClusterSnapshot): UnitRow[] {
  const state = snapshot.state;
  if (!state) return [];
  const byName = new Map(snapshot.machines.map((m) => [m.name, m]));
  return [...state.units.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((record) => {
      const machines = (state.placement[record.name] ?? []).map((id) => snapshot.names.get(id) ?? id);
      const states = machines.map((machine): UnitMachineState => {
        const m = byName.get(machine);
        if (!m || !m.reachable) return { machine, unknown: true };
        const s = m.units.find((u) => u.name === record.name);
        return s ? { machine, load: s.load, active: s.active, sub: s.sub } : { machine, load: 'not-found', active: 'inactive', sub: 'dead' };
      });
      return { name: record.name, desired: record.desired, template: record.template, machines, states, updatedAt: record.updatedAt, source: record.source };
    });
}

/** Rows, with template instances (and the template's own record) grouped under the template. */
export function unitsModel(snapshot: ClusterSnapshot): UnitsModel {
  const rows = unitRows(snapshot);
  const templateOf = (row: UnitRow): string | undefined => {
    if (row.template) return row.template;
    const m = /^([^@]+)@([^.]*)\.([a-z]+)$/.exec(row.name);
    return m && m[2] !== '' ? `${m[1]}@.${m[3]}` : undefined;
  };
  const groups = new Map<string, TemplateGroup>();
  const model: UnitsModel = [];
  for (const row of rows) {
    const isTemplate = /@\.[a-z]+$/.test(row.name);
    const template = isTemplate ? row.name : templateOf(row);
    if (!template) {
      model.push({ kind: 'unit', row });
      continue;
    }
    let group = groups.get(template);
    if (!group) {
      group = { template, instances: [] };
      groups.set(template, group);
      model.push({ kind: 'template', group });
    }
    if (isTemplate) group.record = row;
    else group.instances.push(row);
  }
  return model.sort((a, b) => {
    const an = a.kind === 'unit' ? a.row.name : a.group.template;
    const bn = b.kind === 'unit' ? b.row.name : b.group.template;
    return an < bn ? -1 : an > bn ? 1 : 0;
  });
}

/** "active/running on core-01" style summary of a row's live state. */
export function liveSummary(row: UnitRow): string {
  if (row.states.length === 0) return row.desired === 'inactive' ? 'not placed' : 'not placed yet';
  return row.states.map((s) => (s.unknown ? `unknown on ${s.machine}` : `${s.active}${s.sub && s.sub !== s.active ? `/${s.sub}` : ''} on ${s.machine}`)).join(', ');
}
