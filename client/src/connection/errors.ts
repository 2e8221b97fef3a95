// Cluster errors shown with a next step: each kind of failure (see cluster/errors.ts) gets the
// buttons that help with it — open the settings or the definition, forget secrets, open the unit
// file, show the output. Never awaited by commands (a notification stays until dismissed).
import * as vscode from 'vscode';
import type { ClusterConnection } from './connection';
import { clusterLog } from './log';

export interface ErrorContext {
  /** What failed, e.g. "Deploying helloworld@1.service". */
  what: string;
  connection?: ClusterConnection;
  /** The unit file concerned (offers "Open Unit File"). */
  unitFile?: vscode.Uri;
}

interface Action {
  title: string;
  run: () => unknown;
}

export function kindOf(error: unknown): string | undefined {
  const kind = (error as { kind?: unknown } | undefined)?.kind;
  return typeof kind === 'string' ? kind : undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const showOutput: Action = { title: 'Show Output', run: () => clusterLog().show(true) };

export function actionsFor(error: unknown, context: ErrorContext): Action[] {
  const kind = kindOf(error);
  const definition = context.connection?.definition;
  const openUnit: Action[] = context.unitFile ? [{ title: 'Open Unit File', run: () => vscode.window.showTextDocument(context.unitFile!) }] : [];
  switch (kind) {
    case 'definition':
    case 'usage':
      if (!context.unitFile) {
        return [
          ...(definition?.exists && definition.file ? [{ title: 'Open Definition File', run: () => vscode.window.showTextDocument(vscode.Uri.file(definition.file!)) }] : []),
          { title: 'Open Settings', run: () => vscode.commands.executeCommand('unitFleet.openSettings') },
          { title: 'Local Cluster Help', run: () => vscode.commands.executeCommand('unitFleet.openLocalClusterDocs') },
        ];
      }
      return [...openUnit, showOutput];
    case 'auth':
    case 'etcd-auth':
      return [{ title: 'Forget Secrets and Reconnect', run: () => vscode.commands.executeCommand('unitFleet.forgetSecrets', { reconnect: true }) }, showOutput];
    case 'host-key': {
      const knownHosts = context.connection?.current?.config.ssh.knownHostsFile;
      return [
        ...(knownHosts ? [{ title: 'Open known_hosts', run: () => vscode.window.showTextDocument(vscode.Uri.file(knownHosts)) }] : []),
        { title: 'Retry', run: () => { context.connection?.forgetRefusedHostKeys(); return context.connection?.refresh(); } },
        showOutput,
      ];
    }
    case 'unschedulable':
    case 'invalid-name':
    case 'not-found':
      return [...openUnit, showOutput];
    case 'unreachable':
    case 'timeout':
      return [...openUnit, { title: 'Reconcile Now', run: () => vscode.commands.executeCommand('unitFleet.reconcile') }, showOutput];
    default:
      return [...openUnit, showOutput];
  }
}

/** The last failure shown (what, message, kind), for tests and diagnostics. */
export let lastClusterError: { what: string; message: string; kind?: string; at: number } | undefined;

/** Shows `what failed: message` with next-step buttons; logs it too. Resolves when shown (not when answered). */
export async function showClusterError(error: unknown, context: ErrorContext): Promise<void> {
  const message = `${context.what} failed: ${messageOf(error)}`;
  lastClusterError = { what: context.what, message: messageOf(error), kind: kindOf(error), at: Date.now() };
  clusterLog().error(message);
  const actions = actionsFor(error, context);
  void vscode.window.showErrorMessage(message, ...actions.map((a) => a.title)).then((choice) => {
    const action = actions.find((a) => a.title === choice);
    if (action) void Promise.resolve(action.run()).catch(() => undefined);
  });
}
