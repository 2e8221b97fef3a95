// Completion inside [X-Fleet]: option names (deprecated spellings tagged), Global= values, unit
// names from the workspace for MachineOf=/Replaces=/Conflicts= (with globs for templates), and —
// from a connected cluster — machine IDs for MachineID= and key=value pairs for MachineMetadata=.
import { CompletionItemKind, CompletionItemTag, MarkupKind, type CompletionItem, type CompletionList, type Position, type Range } from 'vscode-languageserver-types';
import { FLEET_OPTIONS, FLEET_SPECIFIERS, fleetOption, type FleetOption } from '../fleet/options';
import { expandFleetSpecifiers, symbolicUnitName } from '../fleet/specifiers';
import type { LiveCluster, LiveMachine } from '../live';
import type { UnitFileName } from '../unitFile/unitName';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';

const RETRIGGER = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };

export type FleetCursor = { kind: 'key'; start: number } | { kind: 'value'; key: string; typedValue: string };

function list(items: CompletionItem[]): CompletionList {
  return { isIncomplete: false, items };
}

/** Completion at `position` of an [X-Fleet] section. Asks the live cluster only for MachineID= and MachineMetadata=. */
export function fleetCompletions(
  cursor: FleetCursor,
  name: UnitFileName,
  position: Position,
  workspace: WorkspaceIndex,
  live: LiveCluster | undefined,
): CompletionList | Promise<CompletionList> {
  if (cursor.kind === 'key') {
    const range: Range = { start: { line: position.line, character: cursor.start }, end: position };
    return list(FLEET_OPTIONS.map((o) => optionItem(o, range)));
  }
  const option = fleetOption(cursor.key);
  if (!option) return list([]);
  const typed = cursor.typedValue;

  const percent = /%([A-Za-z]?)$/.exec(typed);
  if (percent) {
    const range: Range = { start: { line: position.line, character: position.character - percent[0].length }, end: position };
    const own = name.unitName ? symbolicUnitName(name.unitName, name.template) : undefined;
    return list(
      FLEET_SPECIFIERS.map((s, i) => ({
        label: s.specifier,
        kind: CompletionItemKind.Variable,
        detail: own ? `${s.meaning.replace(/ \(`.*`\)$/, '')} → ${expandFleetSpecifiers(s.specifier, own) || '(empty)'}` : s.meaning,
        textEdit: { range, newText: s.specifier },
        sortText: String(i),
      })),
    );
  }

  // Replace only the value being typed: the quoted form holds several values.
  const word = /[^\s"]*$/.exec(typed)?.[0] ?? '';
  const range: Range = { start: { line: position.line, character: position.character - word.length }, end: position };
  const item = (label: string, kind: CompletionItemKind, detail?: string, documentation?: string): CompletionItem => {
    const it: CompletionItem = { label, kind, textEdit: { range, newText: label } };
    if (detail) it.detail = detail;
    if (documentation) it.documentation = { kind: MarkupKind.Markdown, value: documentation };
    return it;
  };

  switch (option.kind) {
    case 'boolean':
      return list([item('true', CompletionItemKind.Value, 'a global unit: one copy on every machine'), item('false', CompletionItemKind.Value, 'scheduled on one machine (the default)')]);
    case 'unit':
      return list(unitCandidates(workspace, name, false).map((c) => item(c.label, CompletionItemKind.Reference, c.detail)));
    case 'glob':
      return list(unitCandidates(workspace, name, true).map((c) => item(c.label, c.glob ? CompletionItemKind.Constant : CompletionItemKind.Reference, c.detail)));
    case 'machine-id':
      return (live ? live.machines() : Promise.resolve([] as LiveMachine[])).then(
        (machines) => list(machines.map((m) => item(m.machineId, CompletionItemKind.Value, m.hostname, metadataMarkdown(m)))),
        () => list([]),
      );
    case 'metadata':
      return (live ? live.machines() : Promise.resolve([] as LiveMachine[])).then(
        (machines) => list(metadataPairs(machines).map(([pair, hosts]) => item(pair, CompletionItemKind.Value, `on ${hosts.join(', ')}`))),
        () => list([]),
      );
  }
}

function optionItem(o: FleetOption, range: Range): CompletionItem {
  const item: CompletionItem = {
    label: o.name,
    kind: CompletionItemKind.Property,
    detail: o.deprecated ? `deprecated: use ${o.deprecated.replacement}=` : o.summary,
    documentation: { kind: MarkupKind.Markdown, value: o.docs },
    textEdit: { range, newText: `${o.name}=` },
    filterText: o.name,
    command: RETRIGGER,
  };
  if (o.deprecated) {
    item.tags = [CompletionItemTag.Deprecated];
    item.sortText = `~${o.name}`;
  }
  return item;
}

interface UnitCandidate {
  label: string;
  detail: string;
  glob?: boolean;
}

/**
 * Unit names a MachineOf=/Replaces=/Conflicts= value can take: the workspace's units (not this
 * one); for templates, `foo@%i.service` in a template (the same instance) and, for patterns,
 * `foo@*.service` (every instance). A bare template name is never offered: it never runs.
 */
function unitCandidates(workspace: WorkspaceIndex, name: UnitFileName, patterns: boolean): UnitCandidate[] {
  const out: UnitCandidate[] = [];
  const seen = new Set<string>();
  const add = (c: UnitCandidate) => {
    if (seen.has(c.label)) return;
    seen.add(c.label);
    out.push(c);
  };
  for (const n of workspace.unitNames()) {
    const at = n.indexOf('@.');
    if (at < 0) {
      if (n !== name.unitName) add({ label: n, detail: 'unit in the workspace' });
      continue;
    }
    const prefix = n.slice(0, at);
    const suffix = n.slice(at + 1);
    if (name.template && n !== name.unitName) add({ label: `${prefix}@%i${suffix}`, detail: `the ${n} instance with this unit's instance name` });
    if (patterns) add({ label: `${prefix}@*${suffix}`, detail: `every instance of ${n}`, glob: true });
  }
  return out;
}

function metadataMarkdown(m: LiveMachine): string {
  const pairs = Object.entries(m.metadata).map(([k, v]) => `\`${k}=${v}\``);
  return `**${m.hostname}**${pairs.length > 0 ? `\n\nmetadata: ${pairs.join(', ')}` : ''}`;
}

/** Every `key=value` the machines carry, with the hosts carrying it, sorted. */
function metadataPairs(machines: LiveMachine[]): [string, string[]][] {
  const pairs = new Map<string, string[]>();
  for (const m of machines) {
    for (const [k, v] of Object.entries(m.metadata)) {
      if (k === '' || v === '' || k.includes('=') || v.includes('=')) continue;
      const pair = `${k}=${v}`;
      const hosts = pairs.get(pair) ?? [];
      hosts.push(m.hostname || m.machineId.slice(0, 8));
      pairs.set(pair, hosts);
    }
  }
  return [...pairs.entries()].sort(([a], [b]) => a.localeCompare(b));
}
