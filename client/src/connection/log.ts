// The cluster log: one output channel ("Unit Fleet Cluster") for connections, refresh errors,
// deploy results and anything a message's "Show Output" button points at.
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

export function clusterLog(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Unit Fleet Cluster', { log: true });
  return channel;
}

export function disposeClusterLog(): void {
  channel?.dispose();
  channel = undefined;
}
