// Which cluster definition file the extension uses: the `unitFleet.cluster.definitionFile` setting
// (relative to the first workspace folder), else $UNIT_FLEET_CLUSTER (what the CLI reads; test
// runs and `npm start` set it), else the setting's default `.cluster/cluster.json`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const definitionFileSetting = 'unitFleet.cluster.definitionFile';
export const defaultDefinitionFile = '.cluster/cluster.json';

export interface DefinitionFileChoice {
  /** Absolute path (undefined when it is relative and no folder is open). */
  file: string | undefined;
  /** Where the path came from. */
  from: 'setting' | 'environment' | 'default';
  /** As written (for messages). */
  written: string;
  exists: boolean;
}

export function resolveDefinitionFile(env: NodeJS.ProcessEnv = process.env): DefinitionFileChoice {
  const inspected = vscode.workspace.getConfiguration().inspect<string>(definitionFileSetting);
  const explicit = inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
  const fromEnv = env.UNIT_FLEET_CLUSTER;
  const written = explicit?.trim() || fromEnv || defaultDefinitionFile;
  const from: DefinitionFileChoice['from'] = explicit?.trim() ? 'setting' : fromEnv ? 'environment' : 'default';
  let file: string | undefined;
  if (written === '~' || written.startsWith('~/')) file = path.join(os.homedir(), written.slice(1));
  else if (path.isAbsolute(written)) file = written;
  else {
    const folder = vscode.workspace.workspaceFolders?.[0];
    file = folder && folder.uri.scheme === 'file' ? path.join(folder.uri.fsPath, written) : undefined;
  }
  let exists = false;
  try {
    exists = file !== undefined && fs.statSync(file).isFile();
  } catch {
    exists = false;
  }
  return { file, from, written, exists };
}
