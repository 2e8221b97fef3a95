// The cluster side of the extension in the real extension host: what it contributes, the language
// client's restart and custom requests, and — on the real local cluster that runTests.ts brings up
// (UNIT_FLEET_TEST_CLUSTER_FILE) — connecting, the three trees, Deploy to Cluster ending with the
// units active on their machines (checked with the unit-fleet CLI, not through the extension), the
// journal viewer getting lines, status, etcd keys with live updates, and destroy.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { UnitFleetApi } from '../../../client/src/extension';
import { parseInstances } from '../../../client/src/commands/instances';
import { ancestorPrefixes } from '../../../client/src/views/keys/prefixes';
import type { ClusterNode } from '../../../client/src/views/common/node';
import type { JournalPanel } from '../../../client/src/views/journal';
import { extensionId, openInEditor, waitFor, workspaceFile } from './helpers';

const clusterFile = process.env.UNIT_FLEET_TEST_CLUSTER_FILE;
const inCI = process.env.CI === 'true';

async function api(): Promise<UnitFleetApi> {
  const extension = vscode.extensions.getExtension<UnitFleetApi>(extensionId);
  assert.ok(extension, `${extensionId} is not loaded`);
  return extension.activate();
}

function packageJson(): { contributes: Record<string, any>; capabilities: Record<string, any> } {
  return vscode.extensions.getExtension(extensionId)!.packageJSON;
}

async function items(nodes: ClusterNode[]): Promise<vscode.TreeItem[]> {
  return Promise.all(nodes.map((n) => n.getTreeItem()));
}

const labelOf = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

suite('cluster: contributions and language client', () => {
  test('the "Unit Fleet" activity-bar container holds the Machines, Units and etcd Keys views', () => {
    const { contributes } = packageJson();
    assert.deepEqual(
      contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id),
      ['unitFleet'],
    );
    assert.deepEqual(
      contributes.views.unitFleet.map((v: { id: string; name: string }) => `${v.id}=${v.name}`),
      ['unitFleet.machines=Machines', 'unitFleet.units=Units', 'unitFleet.keys=etcd Keys'],
    );
    const welcome = contributes.viewsWelcome.filter((w: { view: string }) => w.view === 'unitFleet.machines').map((w: { contents: string }) => w.contents).join('\n');
    assert.match(welcome, /\(command:unitFleet\.connect\)/);
    assert.match(welcome, /\(command:unitFleet\.openSettings\)/);
    assert.match(welcome, /\(command:unitFleet\.openLocalClusterDocs\)/);
  });

  test('every contributed cluster command is registered, in the "Unit Fleet" category, with an icon', async () => {
    await api();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (packageJson().contributes.commands as Array<{ command: string; category: string; icon?: string }>).filter((c) => !c.command.startsWith('unitFleet.test.'));
    assert.ok(contributed.length >= 25, `expected the cluster commands, found ${contributed.length}`);
    for (const c of contributed) {
      assert.ok(registered.has(c.command), `${c.command} is contributed but not registered`);
      assert.equal(c.category, 'Unit Fleet', c.command);
      assert.match(c.icon ?? '', /^\$\([a-z-]+\)$/, `${c.command} has a codicon`);
    }
  });

  test('cluster actions need a trusted workspace: menus say isWorkspaceTrusted, settings are restricted', () => {
    const { contributes, capabilities } = packageJson();
    assert.equal(capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(capabilities.untrustedWorkspaces.restrictedConfigurations, ['unitFleet.cluster.definitionFile', 'unitFleet.cluster.autoConnect']);
    const deploy = contributes.menus['explorer/context'].find((m: { command: string }) => m.command === 'unitFleet.deploy');
    assert.match(deploy.when, /resourceLangId == '?systemd-unit'?/);
    assert.match(deploy.when, /isWorkspaceTrusted/);
    for (const m of contributes.menus.commandPalette as Array<{ command: string; when: string }>) {
      if (['unitFleet.deploy', 'unitFleet.connect', 'unitFleet.reconcile', 'unitFleet.unit.destroy', 'unitFleet.key.set'].includes(m.command)) assert.match(m.when, /isWorkspaceTrusted/, m.command);
    }
  });

  test('template instances as people type them: 1..3, 1,2,5, {1..3}, names', () => {
    assert.deepEqual(parseInstances('1..3').instances, ['1', '2', '3']);
    assert.deepEqual(parseInstances('1,2,5').instances, ['1', '2', '5']);
    assert.deepEqual(parseInstances('{1..3}').instances, ['1', '2', '3']);
    assert.deepEqual(parseInstances(' web a-b 1..2,7 ').instances, ['web', 'a-b', '1', '2', '7']);
    assert.deepEqual(parseInstances('01..03').instances, ['01', '02', '03']);
    assert.match(parseInstances('').error ?? '', /at least one/);
    assert.match(parseInstances('3..1').error ?? '', /backwards/);
    assert.match(parseInstances('a b;c').error ?? '', /only letters/);
    assert.match(parseInstances('1..500').error ?? '', /at most/);
  });

  test('etcd keys belong to the directories of their path, deepest first', () => {
    assert.deepEqual(ancestorPrefixes('/a/b/c'), ['/a/b/', '/a/', '/']);
    assert.deepEqual(ancestorPrefixes('/a/b/'), ['/a/', '/']);
    assert.deepEqual(ancestorPrefixes('/x'), ['/']);
    assert.deepEqual(ancestorPrefixes('a/b'), ['a/']);
    assert.deepEqual(ancestorPrefixes('/'), []);
    assert.deepEqual(ancestorPrefixes('plain'), []);
  });

  test('without a cluster the status bar says disconnected and the trees are empty (welcome content shows)', async () => {
    const { cluster } = await api();
    if (cluster.connection.isConnected) await cluster.connection.disconnect();
    assert.equal(cluster.connection.state, 'disconnected');
    assert.match(cluster.statusBar.item.text, /debug-disconnect/);
    assert.equal(cluster.statusBar.item.command, 'unitFleet.showActions');
    assert.deepEqual(await cluster.views.machines.getChildren(), []);
    assert.deepEqual(await cluster.views.units.getChildren(), []);
    assert.deepEqual(await cluster.views.keys.getChildren(), []);
  });

  test('Connect with a missing definition file fails with a plain message (and stays disconnected)', async () => {
    const { cluster } = await api();
    const config = vscode.workspace.getConfiguration();
    await config.update('unitFleet.cluster.definitionFile', 'no-such-dir/cluster.json', vscode.ConfigurationTarget.Workspace);
    try {
      const result = await vscode.commands.executeCommand('unitFleet.connect');
      assert.equal(result, undefined);
      assert.equal(cluster.connection.state, 'disconnected');
      const error = cluster.lastError();
      assert.equal(error?.kind, 'definition');
      assert.match(error?.message ?? '', /no-such-dir\/cluster\.json does not exist/);
    } finally {
      await config.update('unitFleet.cluster.definitionFile', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('the language server is restarted when it dies, and answers again', async function () {
    this.timeout(60_000);
    const { languageClient } = await api();
    await openInEditor(workspaceFile('helloworld@.service'));
    const client = languageClient();
    assert.ok(client, 'the language client exists');
    const first = await waitFor('the language server process', () => client.isRunning() && client.serverProcess?.pid);
    client.serverProcess!.kill('SIGKILL');
    const second = await waitFor('a new language server process', () => client.isRunning() && client.serverProcess?.pid !== first && client.serverProcess?.pid, 30_000);
    assert.notEqual(second, first);
    const uri = workspaceFile('helloworld@.service');
    const symbols = await waitFor('document symbols from the restarted server', async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
      return s && s.length > 0 ? s : undefined;
    });
    assert.ok(symbols.some((s) => s.name.includes('Unit')), 'the [Unit] section is a symbol');
  });
});

/** The unit-fleet CLI (dist/cli.js) on the test cluster: an independent check of what the extension did. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const extension = vscode.extensions.getExtension(extensionId)!;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(extension.extensionPath, 'dist', 'cli.js'), '--cluster', clusterFile!, '--quiet', ...args], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface CliUnit {
  name: string;
  desired: string;
  machines: string[];
  states: Array<{ machine: string; active?: string; sub?: string; error?: string }>;
}

async function cliUnits(): Promise<CliUnit[]> {
  const result = await cli(['list-units', '--json']);
  assert.equal(result.code, 0, `unit-fleet list-units failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as CliUnit[];
}

suite('cluster: on the local cluster', function () {
  this.timeout(180_000);
  let fleet: UnitFleetApi;
  const panels: JournalPanel[] = [];

  suiteSetup(async function () {
    if (!clusterFile) {
      if (inCI) throw new Error('CI=true but no local cluster (UNIT_FLEET_TEST_CLUSTER_FILE is not set by runTests.ts)');
      this.skip();
    }
    fleet = await api();
    await vscode.workspace.getConfiguration().update('unitFleet.cluster.definitionFile', clusterFile, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration().update('unitFleet.refreshIntervalSeconds', 0, vscode.ConfigurationTarget.Workspace);
    // A cluster left up by hand may hold units: start from an empty registry.
    const units = await cliUnits();
    if (units.length > 0) await cli(['destroy', ...units.map((u) => u.name)]);
    const files = JSON.parse((await cli(['list-unit-files', '--json'])).stdout || '[]') as Array<{ name: string }>;
    if (files.length > 0) await cli(['destroy', ...files.map((u) => u.name)]);
  });

  suiteTeardown(async () => {
    if (!clusterFile) return;
    for (const panel of panels) panel.dispose();
    const files = JSON.parse((await cli(['list-unit-files', '--json'])).stdout || '[]') as Array<{ name: string }>;
    if (files.length > 0) await cli(['destroy', ...files.map((u) => u.name)]);
    await cli(['keys', 'rm', '/unit-fleet-test/', '--prefix']);
    await fleet?.cluster.connection.disconnect();
    await vscode.workspace.getConfiguration().update('unitFleet.cluster.definitionFile', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration().update('unitFleet.refreshIntervalSeconds', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('Connect to Cluster: connected, 3/3 machines up in the status bar', async () => {
    const state = await vscode.commands.executeCommand('unitFleet.connect');
    assert.equal(state, 'connected', `connect returned ${String(state)}; last error: ${JSON.stringify(fleet.cluster.lastError())}`);
    assert.match(fleet.cluster.statusBar.item.text, /local 3\/3/);
    console.log(`      activation ${fleet.activationMs.toFixed(1)} ms; first refresh ${fleet.cluster.connection.lastRefreshMs} ms`);
  });

  test('the Machines view fills with the three machines, up, with their addresses', async () => {
    const nodes = await fleet.cluster.views.machines.getChildren();
    const shown = await items(nodes);
    assert.deepEqual(shown.map(labelOf), ['core-01', 'core-02', 'core-03']);
    for (const item of shown) {
      assert.match(String(item.description), /^10\.213\.0\.1[123] · up · \d+ units?$/);
      assert.equal(item.contextValue, 'machine.up');
      assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    }
  });

  let deployed: Array<{ name: string; machines: string[] }> = [];

  test('Deploy to Cluster of helloworld@.service (instances 1..2) ends with both active on their machines', async () => {
    const uri = workspaceFile('helloworld@.service');
    const outcome = await vscode.commands.executeCommand<{ units: string[]; result: { units: Array<{ name: string; machines: string[]; active?: string }>; failures: unknown[]; unschedulable: unknown[] } }>(
      'unitFleet.deploy',
      uri,
      { instances: '1..2', force: true },
    );
    assert.ok(outcome, `deploy returned nothing; last error: ${JSON.stringify(fleet.cluster.lastError())}`);
    assert.deepEqual(outcome.units, ['helloworld@1.service', 'helloworld@2.service']);
    assert.deepEqual(outcome.result.failures, []);
    assert.deepEqual(outcome.result.unschedulable, []);
    deployed = outcome.result.units.map((u) => ({ name: u.name, machines: u.machines }));
    for (const u of deployed) assert.equal(u.machines.length, 1, `${u.name} is placed on one machine`);
    assert.notEqual(deployed[0]!.machines[0], deployed[1]!.machines[0], 'Conflicts=helloworld@*.service puts them on different machines');
    // Independently, through the CLI: active (running) on exactly the machine the extension reported.
    const units = await waitFor(
      'both instances active according to unit-fleet list-units',
      async () => {
        const list = await cliUnits();
        const ok = deployed.every((d) => list.find((u) => u.name === d.name)?.states.some((s) => s.machine === d.machines[0] && s.active === 'active'));
        return ok ? list : undefined;
      },
      90_000,
    );
    for (const d of deployed) assert.deepEqual(units.find((u) => u.name === d.name)?.machines, d.machines);
  });

  test('the Units view groups the instances under their template, desired launched, active', async () => {
    await fleet.cluster.connection.refresh();
    const top = await fleet.cluster.views.units.getChildren();
    const template = top.find((n) => n.kind === 'unitTemplate');
    assert.ok(template, 'a template node');
    const templateItem = await template.getTreeItem();
    assert.equal(labelOf(templateItem), 'helloworld@.service');
    assert.match(String(templateItem.description), /^2 instances · 2 active$/);
    const instances = await items(await fleet.cluster.views.units.getChildren(template));
    assert.deepEqual(instances.map(labelOf), ['helloworld@1.service', 'helloworld@2.service']);
    for (const [i, item] of instances.entries()) {
      assert.equal(String(item.description), `launched · active/running · ${deployed[i]!.machines[0]}`);
      assert.equal(item.contextValue, 'unit.launched');
    }
  });

  test('expanding a machine lists its unit with state icon, and the container under it (timed)', async () => {
    const machine = deployed[0]!.machines[0]!;
    const node = (await fleet.cluster.views.machines.getChildren()).find((n) => (n as { name?: string }).name === machine)!;
    const timings: number[] = [];
    let children: ClusterNode[] = [];
    for (let i = 0; i < 3; i++) {
      fleet.cluster.views.machines.refresh(); // forget cached containers: every expansion asks Docker
      const started = performance.now();
      children = await fleet.cluster.views.machines.getChildren(node);
      timings.push(performance.now() - started);
    }
    console.log(`      expanding ${machine}: ${timings.map((t) => `${t.toFixed(0)} ms`).join(', ')} (units from the snapshot, containers from Docker over SSH)`);
    const unit = children.find((n) => n.kind === 'machineUnit');
    assert.ok(unit, `a unit on ${machine}`);
    const unitItem = await unit.getTreeItem();
    assert.equal(labelOf(unitItem), deployed[0]!.name);
    assert.equal(String(unitItem.description), 'active/running');
    assert.equal((unitItem.iconPath as vscode.ThemeIcon).id, 'pass-filled');
    const containers = await items(await unit.getChildren!());
    const all = await items(children);
    assert.deepEqual(containers.map(labelOf), ['helloworld'], `children of ${machine}: ${all.map((i) => `${labelOf(i)} (${String(i.description)})`).join('; ')}`);
    assert.match(String(containers[0]!.description), /^unit-fleet\/hello:latest · Up /);
  });

  test('Show Journal on the template follows both instances, merged, and lines arrive in the viewer', async () => {
    const template = (await fleet.cluster.views.units.getChildren()).find((n) => n.kind === 'unitTemplate')!;
    const panel = await vscode.commands.executeCommand<JournalPanel>('unitFleet.unit.journal', template);
    assert.ok(panel, `no panel; last error: ${JSON.stringify(fleet.cluster.lastError())}`);
    panels.push(panel);
    assert.equal(panel.panel.title, 'Journal: helloworld@*');
    const report = await waitFor(
      'journal lines from both machines',
      async () => {
        const r = await panel.report();
        return r.received >= 2 && r.columns.machine ? r : undefined;
      },
      60_000,
    );
    assert.equal(report.seqErrors, 0);
    assert.notEqual(report.state, 'ended', 'still following');
  });

  test('Show Journal on one unit opens its own panel with lines', async () => {
    const template = (await fleet.cluster.views.units.getChildren()).find((n) => n.kind === 'unitTemplate')!;
    const [first] = await fleet.cluster.views.units.getChildren(template);
    const panel = await vscode.commands.executeCommand<JournalPanel>('unitFleet.unit.journal', first);
    panels.push(panel);
    assert.equal(panel.panel.title, `Journal: ${deployed[0]!.name}`);
    const report = await waitFor('journal lines', async () => ((await panel.report()).received > 0 ? panel.report() : undefined), 60_000);
    assert.ok(report.received > 0);
  });

  test('Unit Status shows systemctl status from the machine in a read-only document', async () => {
    const template = (await fleet.cluster.views.units.getChildren()).find((n) => n.kind === 'unitTemplate')!;
    const [first] = await fleet.cluster.views.units.getChildren(template);
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('unitFleet.unit.status', first);
    assert.ok(document, `no document; last error: ${JSON.stringify(fleet.cluster.lastError())}`);
    assert.equal(document.uri.scheme, 'unitfleet');
    const text = document.getText();
    assert.match(text, new RegExp(`● ${deployed[0]!.name.replace(/[.@]/g, '\\$&')} on ${deployed[0]!.machines[0]}`));
    assert.match(text, /Active: active \(running\)/);
  });

  test('Open Unit File on an instance opens the template file of the workspace', async () => {
    const template = (await fleet.cluster.views.units.getChildren()).find((n) => n.kind === 'unitTemplate')!;
    const [first] = await fleet.cluster.views.units.getChildren(template);
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('unitFleet.unit.openFile', first);
    assert.equal(path.basename(document.uri.fsPath), 'helloworld@.service');
  });

  test('the language server gets the live machines (MachineID= completion offers their machine-ids)', async () => {
    const uri = workspaceFile('live-machine-id.service');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('[Unit]\nDescription=x\n\n[Service]\nExecStart=/bin/true\n\n[X-Fleet]\nMachineID=\n'));
    try {
      const editor = await openInEditor(uri);
      const position = new vscode.Position(7, 'MachineID='.length);
      editor.selection = new vscode.Selection(position, position);
      const ids = fleet.cluster.connection.snapshot!.machines.map((m) => m.machineId!);
      const list = await waitFor('machine-id completions', async () => {
        const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
        const labels = l.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        return ids.every((id) => labels.includes(id)) ? labels : undefined;
      });
      assert.ok(list.length >= 3);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(uri);
    }
  });

  test('etcd Keys: a tree split on "/", values and TTL in the description, live update by watch, set/get/delete', async () => {
    const keys = fleet.cluster.views.keys;
    await vscode.commands.executeCommand('unitFleet.keys.focus');
    await waitFor('the keys view to watch', () => keys.watching);
    const set = await vscode.commands.executeCommand('unitFleet.key.set', undefined, { key: '/unit-fleet-test/a/hello', value: 'world', ttl: 60 });
    assert.ok(set, `set failed: ${JSON.stringify(fleet.cluster.lastError())}`);
    const top = await waitFor('the /unit-fleet-test/ directory at the top', async () => {
      const nodes = await keys.getChildren();
      const shown = await items(nodes);
      const i = shown.findIndex((t) => labelOf(t) === 'unit-fleet-test');
      return i >= 0 ? nodes[i] : undefined;
    });
    assert.ok((await items(await keys.getChildren())).some((t) => labelOf(t) === 'unit-fleet'), 'the registry prefix is there too');
    const [a] = await keys.getChildren(top);
    assert.equal(labelOf(await a!.getTreeItem()), 'a');
    const leaf = (await keys.getChildren(a))[0]!;
    const leafItem = await leaf.getTreeItem();
    assert.equal(labelOf(leafItem), 'hello');
    assert.match(String(leafItem.description), /^world · ttl \d+s$/);
    assert.equal(leafItem.contextValue, 'etcdKey.v3');

    // A key written by someone else appears without a refresh (watch → that directory reloads).
    const reloads = keys.watchReloads;
    assert.equal((await cli(['keys', 'set', '/unit-fleet-test/a/second', 'two'])).code, 0);
    await waitFor('the watch to reload /unit-fleet-test/a/', async () => {
      if (keys.watchReloads === reloads) return undefined;
      const shown = await items(await keys.getChildren(a));
      return shown.some((t) => labelOf(t) === 'second' && String(t.description) === 'two');
    });

    const got = await vscode.commands.executeCommand<{ value: string; ttl?: number }>('unitFleet.key.get', leaf);
    assert.equal(got.value, 'world');
    assert.ok(got.ttl !== undefined && got.ttl > 0 && got.ttl <= 60);
    const deleted = await vscode.commands.executeCommand<{ deleted: number }>('unitFleet.key.delete', a, { confirmed: true });
    assert.equal(deleted.deleted, 2);
    assert.equal((await cli(['keys', 'get', '/unit-fleet-test/a/hello'])).code, 8, 'gone (exit code 8: not found)');
  });

  test('Open SSH Terminal runs the system ssh with the definition\'s config, strict host key checking', async () => {
    const machine = (await fleet.cluster.views.machines.getChildren())[0]!;
    const terminal = await vscode.commands.executeCommand<vscode.Terminal>('unitFleet.machine.ssh', machine);
    try {
      assert.equal(terminal.name, 'ssh core-01');
      const options = terminal.creationOptions as vscode.TerminalOptions;
      assert.equal(options.shellPath, 'ssh');
      const args = options.shellArgs as string[];
      assert.deepEqual(args.slice(-5), ['-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${path.join(path.dirname(clusterFile!), 'known_hosts')}`, 'core-01']);
      assert.equal(args[0], '-F');
      assert.ok(await terminal.processId, 'the terminal started a process');
    } finally {
      terminal.dispose();
    }
  });

  test('Reconcile Now finds the cluster in line', async () => {
    const report = await vscode.commands.executeCommand<{ dead: string[]; moved: unknown[]; failures: unknown[] }>('unitFleet.reconcile');
    assert.ok(report, `reconcile failed: ${JSON.stringify(fleet.cluster.lastError())}`);
    assert.deepEqual(report.dead, []);
    assert.deepEqual(report.moved, []);
    assert.deepEqual(report.failures, []);
  });

  test('Stop, Start and Destroy on a unit node act on the cluster (checked with the CLI)', async () => {
    const template = (await fleet.cluster.views.units.getChildren()).find((n) => n.kind === 'unitTemplate')!;
    const [first] = await fleet.cluster.views.units.getChildren(template);
    const name = deployed[0]!.name;
    const stopped = await vscode.commands.executeCommand<{ units: Array<{ desired: string }> }>('unitFleet.unit.stop', first);
    assert.equal(stopped.units[0]!.desired, 'loaded');
    assert.equal((await cliUnits()).find((u) => u.name === name)?.states[0]?.active, 'inactive');
    const started = await vscode.commands.executeCommand<{ units: Array<{ desired: string; machines: string[] }> }>('unitFleet.unit.start', first);
    assert.equal(started.units[0]!.desired, 'launched');
    assert.deepEqual(started.units[0]!.machines, deployed[0]!.machines);
    const destroyed = await vscode.commands.executeCommand<{ units: Array<{ desired: string }> }>('unitFleet.unit.destroy', template, { confirmed: true });
    assert.deepEqual(
      destroyed.units.map((u) => u.desired),
      ['destroyed', 'destroyed'],
    );
    assert.deepEqual((await cliUnits()).filter((u) => u.name.startsWith('helloworld@')), []);
    await fleet.cluster.connection.refresh();
    assert.equal((await fleet.cluster.views.units.getChildren()).find((n) => n.kind === 'unitTemplate'), undefined);
  });

  test('Disconnect: the trees empty and the status bar says so', async () => {
    await vscode.commands.executeCommand('unitFleet.disconnect');
    assert.equal(fleet.cluster.connection.state, 'disconnected');
    assert.deepEqual(await fleet.cluster.views.machines.getChildren(), []);
    assert.match(fleet.cluster.statusBar.item.text, /debug-disconnect/);
  });
});
