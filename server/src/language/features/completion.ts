// Completion: sections, directives (filtered by section and unit type), values for booleans and
// enumerations, `%` specifiers, and unit names from the workspace plus well-known units.
import { CompletionItemKind, CompletionItemTag, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver-types';
import { allSectionNames, directivesOf, getDirective, sectionsForUnitType } from '../catalog/catalog';
import { SPECIFIERS } from '../catalog/specifiers';
import { WELL_KNOWN_UNITS } from '../catalog/wellKnownUnits';
import type { DirectiveInfo } from '../catalog/types';
import { FLEET_SECTION } from '../fleet/options';
import type { LiveCluster } from '../live';
import type { UnitFile } from '../unitFile/ast';
import type { UnitFileName } from '../unitFile/unitName';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { cursorContext } from './documentContext';
import { directiveMarkdown } from './directiveDocs';
import { fleetCompletions } from './fleetCompletion';

const BOOLEAN_VALUES = ['yes', 'no', 'true', 'false', 'on', 'off'];
/** After accepting these keys, the user almost always wants to pick a value next. */
const RETRIGGER = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };

export function completions(file: UnitFile, name: UnitFileName, position: Position, workspace: WorkspaceIndex, live?: LiveCluster): CompletionList | Promise<CompletionList> {
  const ctx = cursorContext(file, position);
  const line = file.lines[position.line] ?? '';
  // [X-Fleet] is fleet's, not systemd's (values may come from the live cluster, hence the promise).
  if ((ctx.kind === 'key' || ctx.kind === 'value') && ctx.section?.name === FLEET_SECTION) {
    return fleetCompletions(ctx.kind === 'key' ? { kind: 'key', start: ctx.start } : { kind: 'value', key: ctx.key, typedValue: ctx.typedValue }, name, position, workspace, live);
  }
  switch (ctx.kind) {
    case 'section-name': {
      const range = { start: { line: position.line, character: ctx.start }, end: { line: position.line, character: closingBracketEnd(line, position.character) } };
      return list(sectionNames(name).map((s) => ({ label: s, kind: CompletionItemKind.Module, textEdit: { range, newText: `${s}]` }, filterText: s })));
    }
    case 'key': {
      const range = { start: { line: position.line, character: ctx.start }, end: position };
      if (!ctx.section) return list(sectionNames(name).map((s) => ({ label: `[${s}]`, kind: CompletionItemKind.Module, textEdit: { range, newText: `[${s}]` } })));
      return list(directivesOf(ctx.section.name).filter((d) => !d.ignored).map(directiveItem));
    }
    case 'value':
      return valueCompletions(ctx.section?.name, ctx.key, ctx.typedValue, position, workspace);
    default:
      return list([]);
  }
}

function list(items: CompletionItem[]): CompletionList {
  return { isIncomplete: false, items };
}

function sectionNames(name: UnitFileName): string[] {
  return [...(name.type ? sectionsForUnitType(name.type) : allSectionNames()), FLEET_SECTION];
}

function closingBracketEnd(line: string, from: number): number {
  const rest = line.slice(from);
  const m = /^[^\]\s]*\]?/.exec(rest);
  return from + (m ? m[0].length : 0);
}

function directiveItem(d: DirectiveInfo): CompletionItem {
  const wantsValue = d.kind === 'boolean' || d.kind === 'enum' || d.kind === 'unit-list' || d.kind === 'unit' || (d.enumValues?.length ?? 0) > 0;
  // Lean items: the editor replaces the word at the cursor, and documentation comes on resolve,
  // so a [Service] list of 300 directives stays small on the wire.
  const item: CompletionItem = {
    label: d.name,
    kind: CompletionItemKind.Property,
    insertText: `${d.name}=`,
    data: { section: d.section, name: d.name } satisfies DirectiveRef,
  };
  if (d.deprecated) {
    item.tags = [CompletionItemTag.Deprecated];
    item.sortText = `~${d.name}`; // after the current names
  }
  if (wantsValue) item.command = RETRIGGER;
  return item;
}

interface DirectiveRef {
  section: string;
  name: string;
}

/** Fills in the documentation of a directive item (completionItem/resolve). */
export function resolveCompletion(item: CompletionItem): CompletionItem {
  const ref = item.data as DirectiveRef | undefined;
  const info = ref && getDirective(ref.section, ref.name);
  if (info) {
    item.detail = `[${info.section}]${info.since ? ` · since v${info.since}` : ''}`;
    item.documentation = { kind: MarkupKind.Markdown, value: directiveMarkdown(info) };
  }
  return item;
}

function valueCompletions(section: string | undefined, key: string, typed: string, position: Position, workspace: WorkspaceIndex): CompletionList {
  const percent = /%([A-Za-z]?)$/.exec(typed);
  if (percent) {
    const range = { start: { line: position.line, character: position.character - percent[0].length }, end: position };
    return list(SPECIFIERS.map((s, i) => ({ label: s.specifier, kind: CompletionItemKind.Variable, detail: s.meaning, textEdit: { range, newText: s.specifier }, sortText: String(i).padStart(3, '0') })));
  }
  const info = section ? getDirective(section, key) : undefined;
  if (!info) return list([]);
  // Replace only the word being typed: lists hold several values.
  const word = /[^\s]*$/.exec(typed)?.[0] ?? '';
  const range = { start: { line: position.line, character: position.character - word.length }, end: position };
  const values = (vs: readonly string[], kind: CompletionItemKind) => list(vs.map((v) => ({ label: v, kind, textEdit: { range, newText: v } })));
  if (info.kind === 'boolean' || info.kind === 'tristate') return values(BOOLEAN_VALUES, CompletionItemKind.Value);
  if (info.kind === 'unit-list' || info.kind === 'unit') {
    const names = [...new Set([...workspace.unitNames(), ...WELL_KNOWN_UNITS])];
    return values(names, CompletionItemKind.Reference);
  }
  if (info.enumValues && info.enumValues.length > 0) {
    return list(
      info.enumValues.map((v) => {
        // Parameterised values such as `file:PATH` become snippets with a placeholder.
        const m = /^([a-z+-]+:)([A-Z_]+)$/.exec(v);
        return m
          ? { label: v, kind: CompletionItemKind.EnumMember, textEdit: { range, newText: `${m[1]}\${1:${m[2].toLowerCase()}}` }, insertTextFormat: InsertTextFormat.Snippet }
          : { label: v, kind: CompletionItemKind.EnumMember, textEdit: { range, newText: v } };
      }),
    );
  }
  return list([]);
}
