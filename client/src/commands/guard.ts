// Every cluster command goes through here: refused (with the reason) in untrusted workspaces,
// quiet when the user cancels, and failures shown with a next step instead of thrown.
import * as vscode from 'vscode';
import type { OpenJournal } from '../views/journal';
import { Cancelled, type ClusterConnection } from '../connection/connection';
import { showClusterError } from '../connection/errors';
import { checkTrusted } from '../connection/trust';
import type { KeysTreeProvider } from '../views/keys/keysView';
import type { MachinesTreeProvider } from '../views/machines/machinesView';
import type { UnitsTreeProvider } from '../views/units/unitsView';
import type { ReadonlyDocuments } from './documents';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  connection: ClusterConnection;
  openJournal: OpenJournal;
  documents: ReadonlyDocuments;
  views: { machines: MachinesTreeProvider; units: UnitsTreeProvider; keys: KeysTreeProvider };
}

export function registerClusterCommand<A extends unknown[], R>(
  deps: CommandDeps,
  id: string,
  what: string | ((...args: A) => string),
  body: (...args: A) => Promise<R>,
  options: { unitFile?: (...args: A) => vscode.Uri | undefined; needsTrust?: boolean } = {},
): void {
  deps.context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: A): Promise<R | undefined> => {
      if (options.needsTrust !== false && !checkTrusted()) return undefined;
      try {
        return await body(...args);
      } catch (error) {
        if (error instanceof Cancelled) return undefined;
        const label = typeof what === 'function' ? what(...args) : what;
        void showClusterError(error, { what: label, connection: deps.connection, unitFile: options.unitFile?.(...args) });
        return undefined;
      }
    }),
  );
}

/** Options passed as the last argument by tests and scripts (a plain object, not a tree node). */
export function optionsArg<T extends object>(value: unknown): Partial<T> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value) && !(value instanceof vscode.Uri) ? (value as Partial<T>) : {};
}
