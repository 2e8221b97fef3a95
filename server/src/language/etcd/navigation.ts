// Go to definition and find references on an etcd key argument: the writers of a key are its
// definitions; readers, watchers and removers are references. Matching is by key pattern, so the
// prefix `/services/web/` read by a load balancer finds the sidekick writing `/services/web/%H`.
import type { Location, Position, Range } from 'vscode-languageserver-types';
import type { UnitFile } from '../unitFile/ast';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import { etcdFacts, matchingUsages, type KeyUsage } from './unitKeys';

const ORDER = { write: 0, read: 1, watch: 2, remove: 3 } as const;

function contains(range: Range, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}

/** The key argument under the cursor. */
export function keyUsageAt(workspace: WorkspaceIndex, uri: string, file: UnitFile, position: Position): KeyUsage | undefined {
  return etcdFacts(workspace, uri, file).usages.find((u) => contains(u.location, position));
}

function sorted(usages: KeyUsage[]): KeyUsage[] {
  return [...usages].sort(
    (a, b) =>
      ORDER[a.access] - ORDER[b.access] ||
      a.uri.localeCompare(b.uri) ||
      a.location.start.line - b.location.start.line ||
      a.location.start.character - b.location.start.character,
  );
}

const toLocation = (u: KeyUsage): Location => ({ uri: u.uri, range: u.location });

/** The writers of the key under the cursor (empty when the cursor is not on a key argument). */
export function keyDefinitions(workspace: WorkspaceIndex, uri: string, file: UnitFile, position: Position): Location[] {
  const usage = keyUsageAt(workspace, uri, file, position);
  if (!usage) return [];
  return sorted(matchingUsages(workspace, usage).filter((u) => u.access === 'write')).map(toLocation);
}

/** Writers, readers, watchers and removers of the key under the cursor; without the writers when `includeDeclaration` is false. */
export function keyReferences(workspace: WorkspaceIndex, uri: string, file: UnitFile, position: Position, includeDeclaration = true): Location[] {
  const usage = keyUsageAt(workspace, uri, file, position);
  if (!usage) return [];
  const found = matchingUsages(workspace, usage).filter((u) => includeDeclaration || u.access !== 'write');
  // The usage under the cursor is part of the answer even when the workspace does not hold the file.
  if (!found.some((u) => u.uri === usage.uri && u.location.start.line === usage.location.start.line && u.location.start.character === usage.location.start.character)) {
    if (includeDeclaration || usage.access !== 'write') found.push(usage);
  }
  return sorted(found).map(toLocation);
}
