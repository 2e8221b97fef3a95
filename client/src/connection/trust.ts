// Cluster actions run commands on remote machines with the user's credentials, so they are off in
// untrusted workspaces (a cluster definition from an untrusted folder must not be acted on).
// package.json's `when` clauses hide them there; this check covers every other way in.
import * as vscode from 'vscode';

export class WorkspaceNotTrusted extends Error {
  constructor() {
    super('Cluster actions are disabled in untrusted workspaces.');
    this.name = 'WorkspaceNotTrusted';
  }
}

/** False (after telling the user why, with a way to change it) when the workspace is not trusted. */
export function checkTrusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  void vscode.window
    .showWarningMessage('Unit Fleet: cluster actions are disabled in untrusted workspaces. Editing support keeps working; trust this folder to connect to a cluster.', manage)
    .then((answer) => {
      if (answer === manage) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
