// Outline: sections with their directives as children.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import type { UnitFile } from '../unitFile/ast';

export function documentSymbols(file: UnitFile): DocumentSymbol[] {
  return file.sections.map((s) => ({
    name: `[${s.name}]`,
    kind: SymbolKind.Namespace,
    range: s.range,
    selectionRange: s.nameRange,
    children: s.entries.map((a) => ({
      name: a.key,
      detail: a.value.length > 60 ? `${a.value.slice(0, 57)}…` : a.value,
      kind: SymbolKind.Property,
      range: a.range,
      selectionRange: a.keyRange,
    })),
  }));
}
