// State icons shared by the Machines and Units views.
import * as vscode from 'vscode';

/** systemd's ActiveState (+ SubState) as an icon. */
export function unitStateIcon(active: string | undefined, sub?: string): vscode.ThemeIcon {
  switch (active) {
    case 'active':
      return sub === 'exited'
        ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
        : new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'activating':
    case 'reloading':
    case 'deactivating':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('editorWarning.foreground'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'inactive':
      return new vscode.ThemeIcon('circle-large-outline');
    default:
      return new vscode.ThemeIcon('question', new vscode.ThemeColor('disabledForeground'));
  }
}

export function machineIcon(alive: boolean, reachable: boolean): vscode.ThemeIcon {
  if (!alive) return new vscode.ThemeIcon('vm-outline', new vscode.ThemeColor('testing.iconFailed'));
  if (!reachable) return new vscode.ThemeIcon('vm', new vscode.ThemeColor('editorWarning.foreground'));
  return new vscode.ThemeIcon('vm-running', new vscode.ThemeColor('testing.iconPassed'));
}

export function stateText(active: string | undefined, sub: string | undefined): string {
  if (!active) return 'unknown';
  return sub && sub !== active ? `${active}/${sub}` : active;
}
