// Deploy to Cluster: right-click a unit file (explorer or editor). For a template, asks which
// instances (`1..3`, `1,2,5`). Saves the file, warns about its errors, starts the unit(s) with a
// progress notification, then says where each went ("helloworld@1.service → core-01, …").
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LifecycleResult } from '../cluster/deploy';
import { parseUnitNameStrict } from '../cluster/names';
import { Cancelled } from '../connection/connection';
import { clusterLog } from '../connection/log';
import type { UnitTarget } from '../views/common/node';
import { optionsArg, registerClusterCommand, type CommandDeps } from './guard';
import { parseInstances } from './instances';
import { describeOutcome, openUnitJournal } from './units';

export interface DeployOptions {
  /** For templates: the instances (as typed, e.g. "1..3"); skips the input box. */
  instances: string;
  /** Deploy even when the file has errors (skips the question). */
  force: boolean;
}

export interface DeployOutcome {
  units: string[];
  result: LifecycleResult;
}

function fileOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  return vscode.window.activeTextEditor?.document.uri;
}

export async function deployToCluster(deps: CommandDeps, uri: vscode.Uri | undefined, options: Partial<DeployOptions>): Promise<DeployOutcome | undefined> {
  if (!uri || uri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Unit Fleet: Deploy to Cluster works on a unit file saved in the workspace (open one, or right-click it in the explorer).');
    return undefined;
  }
  const file = uri.fsPath;
  const fileName = path.basename(file);
  const parts = parseUnitNameStrict(fileName);
  if (!parts) {
    void vscode.window.showErrorMessage(`Unit Fleet: ${fileName} is not named like a unit (name.service, name@.service, …), so it cannot be deployed.`);
    return undefined;
  }

  // The file as the editor has it: save first.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty && !(await open.save())) throw new Cancelled();

  const errors = vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
  if (errors.length > 0 && options.force !== true) {
    const answer = await vscode.window.showWarningMessage(
      `${fileName} has ${errors.length} error${errors.length === 1 ? '' : 's'}. Deploy anyway?`,
      { modal: true, detail: errors.slice(0, 5).map((d) => `line ${d.range.start.line + 1}: ${d.message}`).join('\n') },
      'Deploy Anyway',
    );
    if (answer !== 'Deploy Anyway') throw new Cancelled();
  }

  let units = [fileName];
  if (parts.instance === '') {
    let typed = options.instances;
    if (typed === undefined) {
      typed = await vscode.window.showInputBox({
        title: `Deploy ${fileName} to the cluster`,
        prompt: `Which instances of the template? e.g. 1..3 or 1,2,5 (${parts.prefix}@1.${parts.type}, …)`,
        value: '1',
        ignoreFocusOut: true,
        validateInput: (value) => parseInstances(value).error,
      });
      if (typed === undefined) throw new Cancelled();
    }
    const parsed = parseInstances(typed);
    if (parsed.error) throw Object.assign(new Error(parsed.error), { kind: 'usage' });
    units = parsed.instances!.map((i) => `${parts.prefix}@${i}.${parts.type}`);
  }

  const c = await deps.connection.ensureConnected();
  const dir = path.dirname(file);
  const label = units.length === 1 ? units[0]! : `${units.length} instances of ${fileName}`;
  const started = Date.now();
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Deploying ${label}` },
    (progress) =>
      deps.connection.withProgress(
        (message) => progress.report({ message }),
        () => c.core.start(c.cluster, units.map((u) => path.join(dir, u)), dir),
      ),
  );
  const log = clusterLog();
  log.info(`deploy ${label} from ${file} (${Date.now() - started} ms): ${describeOutcome(result)}`);
  deps.views.machines.refresh();
  void deps.connection.refresh();

  const problems = [
    ...result.unschedulable.map((u) => `${u.unit} cannot be placed: ${u.reasons.join('; ')}`),
    ...result.failures.map((f) => `${f.machine}: ${f.error ?? 'failed'}`),
    ...result.units.filter((u) => u.active === 'failed').map((u) => `${u.name} failed to start on ${u.machines.join(', ')}`),
  ];
  for (const p of problems) log.error(`deploy: ${p}`);
  const placed = result.units.filter((u) => u.machines.length > 0);
  const journalTarget: UnitTarget | undefined =
    placed.length === 0
      ? undefined
      : {
          displayName: label,
          unitNames: () => placed.map((u) => u.name),
          journalUnits: () => placed.map((u) => u.name),
          journalTitle: () => (placed.length === 1 ? `Journal: ${placed[0]!.name}` : `Journal: ${parts.prefix}@*`),
          fileNames: () => [fileName],
        };
  const showJournal = (): void => {
    if (journalTarget) openUnitJournal(deps, c, journalTarget);
  };
  if (problems.length === 0) {
    void vscode.window.showInformationMessage(`Deployed: ${describeOutcome(result)}`, 'Show Journal', 'Show in Sidebar').then((choice) => {
      if (choice === 'Show Journal') showJournal();
      else if (choice === 'Show in Sidebar') void vscode.commands.executeCommand('unitFleet.units.focus');
    });
  } else {
    const actions = ['Open Unit File', ...(journalTarget ? ['Show Journal'] : []), ...(result.failures.length > 0 ? ['Reconcile Now'] : []), 'Show Output'];
    void vscode.window
      .showErrorMessage(`Deploying ${label}: ${problems.join(' · ')}${placed.length > 0 ? ` (placed: ${describeOutcome({ ...result, units: placed })})` : ''}`, ...actions)
      .then((choice) => {
        if (choice === 'Open Unit File') void vscode.window.showTextDocument(uri);
        else if (choice === 'Show Journal') showJournal();
        else if (choice === 'Reconcile Now') void vscode.commands.executeCommand('unitFleet.reconcile');
        else if (choice === 'Show Output') log.show(true);
      });
  }
  return { units, result };
}

export function registerDeployCommand(deps: CommandDeps): void {
  registerClusterCommand(
    deps,
    'unitFleet.deploy',
    (arg: unknown) => `Deploying ${path.basename(fileOf(arg)?.fsPath ?? 'the unit')}`,
    (arg: unknown, second?: unknown) => {
      // From a menu: (uri, [selected uris]); from tests and scripts: (uri, { instances, force }).
      const options = optionsArg<DeployOptions>(Array.isArray(second) ? undefined : second);
      return deployToCluster(deps, fileOf(arg), options);
    },
    { unitFile: (arg: unknown) => fileOf(arg) },
  );
}
