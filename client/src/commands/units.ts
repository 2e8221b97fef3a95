// Commands on units (tree nodes, or a unit picked from the palette): Start, Stop, Restart, Destroy,
// Status, Show Journal, Open Unit File. On a template node they act on every instance, and its
// journal follows all instances merged across machines.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LifecycleResult } from '../cluster/deploy';
import type { Connected } from '../connection/connection';
import { clusterLog } from '../connection/log';
import { isUnitTarget, type UnitTarget } from '../views/common/node';
import { journalSourceFromStream } from '../views/journal/streamSource';
import type { JournalPanel } from '../views/journal';
import { optionsArg, registerClusterCommand, type CommandDeps } from './guard';
import { pickUnit } from './pick';

type Verb = 'start' | 'stop' | 'restart' | 'destroy';

const verbTitles: Record<Verb, { doing: string; done: string }> = {
  start: { doing: 'Starting', done: 'started' },
  stop: { doing: 'Stopping', done: 'stopped' },
  restart: { doing: 'Restarting', done: 'restarted' },
  destroy: { doing: 'Destroying', done: 'destroyed' },
};

/** Where lifecycle commands on registry units resolve files: nowhere (the registry's text is used). */
function registryOnly(deps: CommandDeps): string {
  return path.join(deps.context.globalStorageUri.fsPath, 'registry-only');
}

export function describeOutcome(result: LifecycleResult): string {
  return result.units
    .map((u) => `${u.name} → ${u.desired === 'destroyed' ? 'destroyed' : u.machines.length > 0 ? `${u.machines.join(', ')}${u.active ? ` (${u.active}${u.sub ? `/${u.sub}` : ''})` : ''}` : `${u.desired}, not placed`}`)
    .join(', ');
}

/** Reports a lifecycle result: information when all went well, else an error naming what did not. */
export function reportLifecycle(verb: string, result: LifecycleResult, unitFile?: vscode.Uri): void {
  const log = clusterLog();
  log.info(`${verb}: ${describeOutcome(result)}`);
  const problems = [
    ...result.unschedulable.map((u) => `${u.unit} cannot be placed: ${u.reasons.join('; ')}`),
    ...result.failures.map((f) => `${f.machine}: ${f.error ?? 'failed'}`),
  ];
  for (const p of problems) log.error(`${verb}: ${p}`);
  if (problems.length === 0) {
    void vscode.window.showInformationMessage(`Unit Fleet: ${describeOutcome(result)}`);
    return;
  }
  const actions = [...(unitFile ? ['Open Unit File'] : []), ...(result.failures.length > 0 ? ['Reconcile Now'] : []), 'Show Output'];
  void vscode.window.showErrorMessage(`Unit Fleet: ${verb} — ${problems.join(' · ')}${result.failures.length > 0 ? ' (the desired state is recorded; Reconcile Now finishes it)' : ''}`, ...actions).then((choice) => {
    if (choice === 'Open Unit File' && unitFile) void vscode.window.showTextDocument(unitFile);
    else if (choice === 'Reconcile Now') void vscode.commands.executeCommand('unitFleet.reconcile');
    else if (choice === 'Show Output') log.show(true);
  });
}

async function targetOf(deps: CommandDeps, node: unknown, action: string): Promise<UnitTarget> {
  return isUnitTarget(node) ? node : pickUnit(deps.connection, action);
}

async function lifecycle(deps: CommandDeps, verb: Verb, target: UnitTarget, confirmed: boolean): Promise<LifecycleResult | undefined> {
  const c = await deps.connection.ensureConnected();
  const names = target.unitNames();
  if (verb === 'destroy' && !confirmed) {
    const answer = await vscode.window.showWarningMessage(
      `Destroy ${target.displayName}?`,
      { modal: true, detail: `${names.join(', ')} will be stopped, removed from ${names.length === 1 ? 'its machine' : 'their machines'} and from the cluster's registry.` },
      'Destroy',
    );
    if (answer !== 'Destroy') return undefined;
  }
  const run = (): Promise<LifecycleResult> => (verb === 'start' ? c.core.start(c.cluster, names, registryOnly(deps)) : c.core[verb](c.cluster, names));
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `${verbTitles[verb].doing} ${target.displayName}` },
    (progress) => deps.connection.withProgress((message) => progress.report({ message }), run),
  );
  reportLifecycle(verb, result);
  deps.views.machines.refresh();
  await deps.connection.refresh();
  return result;
}

/** `systemctl status` of each unit on its machine(s), in a read-only document. */
async function status(deps: CommandDeps, target: UnitTarget): Promise<vscode.TextDocument> {
  const c = await deps.connection.ensureConnected();
  const parts: string[] = [];
  for (const name of target.unitNames()) {
    try {
      for (const s of await c.core.unitStatusText(c.cluster, name)) parts.push(`● ${name} on ${s.machine}\n${s.text.trimEnd()}\n`);
    } catch (error) {
      parts.push(`● ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  const title = target.unitNames().length === 1 ? target.unitNames()[0]! : target.displayName;
  return deps.documents.show(`/status/${title} (status)`, `${parts.join('\n')}`, { language: 'log' });
}

/** Opens the journal viewer fed by the core's follow (all machines of the unit(s), merged). */
export function openUnitJournal(deps: CommandDeps, c: Connected, target: UnitTarget): JournalPanel {
  const units = target.journalUnits();
  const lifetime = deps.connection.lifetime;
  return deps.openJournal(
    () =>
      journalSourceFromStream((hooks) => {
        const signal = AbortSignal.any([hooks.signal, lifetime]);
        return c.core.unitJournal(c.cluster, {
          units,
          lines: 200,
          follow: true,
          signal,
          onState: (machine, state) => hooks.onState(machine, state),
          onSourceError: (machine, error) => hooks.onSourceError(machine, error),
        });
      }),
    target.journalTitle(),
  );
}

/** The unit's file in the workspace (or its template's); undefined when there is none. */
export async function findUnitFile(target: UnitTarget): Promise<vscode.Uri | undefined> {
  for (const name of target.fileNames()) {
    const found = await vscode.workspace.findFiles(`**/${name.replace(/[[\]{}*?]/g, '?')}`, '**/node_modules/**', 5);
    const exact = found.filter((u) => path.basename(u.fsPath) === name).sort((a, b) => a.fsPath.length - b.fsPath.length);
    if (exact[0]) return exact[0];
  }
  return undefined;
}

async function openUnitFile(deps: CommandDeps, target: UnitTarget): Promise<vscode.TextDocument> {
  const local = await findUnitFile(target);
  if (local) return (await vscode.window.showTextDocument(local)).document;
  // Not in the workspace: the text recorded in the cluster, read-only.
  const c = await deps.connection.ensureConnected();
  const name = target.unitNames()[0]!;
  const text = await c.core.catUnit(c.cluster, name);
  return deps.documents.show(`/registry/${name}`, text, { language: 'systemd-unit' });
}

export function registerUnitCommands(deps: CommandDeps): void {
  for (const verb of ['start', 'stop', 'restart', 'destroy'] as const) {
    registerClusterCommand(
      deps,
      `unitFleet.unit.${verb}`,
      (node: unknown) => `${verbTitles[verb].doing} ${isUnitTarget(node) ? node.displayName : 'the unit'}`,
      async (node: unknown, options?: unknown) => lifecycle(deps, verb, await targetOf(deps, node, `${verbTitles[verb].doing} a unit`), optionsArg<{ confirmed: boolean }>(options).confirmed === true),
    );
  }
  registerClusterCommand(deps, 'unitFleet.unit.status', 'Unit status', async (node: unknown) => status(deps, await targetOf(deps, node, 'Status of a unit')));
  registerClusterCommand(deps, 'unitFleet.unit.journal', 'Show Journal', async (node: unknown) => {
    const target = await targetOf(deps, node, 'Show the journal of a unit');
    return openUnitJournal(deps, await deps.connection.ensureConnected(), target);
  });
  registerClusterCommand(deps, 'unitFleet.unit.openFile', 'Open Unit File', async (node: unknown) => openUnitFile(deps, await targetOf(deps, node, 'Open a unit file')));
}
