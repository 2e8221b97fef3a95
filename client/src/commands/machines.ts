// Open SSH Terminal on a machine: a VS Code terminal running the system's ssh with the
// definition's key and known_hosts and StrictHostKeyChecking=yes (through the definition's
// ssh config file when it has a Host entry for the machine).
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ClusterConfig } from '../cluster/definition';
import { registerClusterCommand, type CommandDeps } from './guard';
import { pickMachine } from './pick';

/** The ssh command line for a machine of the definition. */
export function sshArgs(config: ClusterConfig, machine: string): string[] {
  const m = config.machines.find((x) => x.name === machine);
  if (!m) throw Object.assign(new Error(`no machine named "${machine}" in cluster ${config.name}`), { kind: 'not-found' });
  const strict = ['-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${config.ssh.knownHostsFile}`];
  const file = config.ssh.configFile;
  if (file) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      /* no usable config file: explicit options below */
    }
    const hasHost = text.split(/\r?\n/).some((line) => /^\s*Host\s/i.test(line) && line.trim().split(/\s+/).slice(1).includes(machine));
    if (hasHost) return ['-F', file, ...strict, machine];
  }
  return [...(m.identityFile ? ['-i', m.identityFile, '-o', 'IdentitiesOnly=yes'] : []), '-p', String(m.port), ...strict, '-o', `HostKeyAlias=${m.host}`, `${m.user}@${m.host}`];
}

function machineOf(node: unknown): string | undefined {
  const n = node as { kind?: string; name?: string } | undefined;
  return n?.kind === 'machine' && typeof n.name === 'string' ? n.name : typeof node === 'string' ? node : undefined;
}

export function registerMachineCommands(deps: CommandDeps): void {
  registerClusterCommand(deps, 'unitFleet.machine.ssh', 'Opening an SSH terminal', async (node: unknown) => {
    const { config } = await deps.connection.ensureConnected();
    const machine = machineOf(node) ?? (await pickMachine(deps.connection, 'Open SSH Terminal'));
    const args = sshArgs(config, machine);
    const terminal = vscode.window.createTerminal({ name: `ssh ${machine}`, shellPath: 'ssh', shellArgs: args, iconPath: new vscode.ThemeIcon('vm') });
    terminal.show();
    return terminal;
  });
}
