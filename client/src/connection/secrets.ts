// Secrets of a cluster (etcd password, ssh key passphrases, ssh passwords) live in VS Code's
// SecretStorage, never in settings or files. The definition only names environment variables
// (passwordEnv, passphraseEnv); each one is asked once, with a password input box, and stored
// under the cluster's name. "Forget Secrets" removes every one the extension stored.
import * as vscode from 'vscode';
import type { ClusterConfig } from '../cluster/definition';

const indexKey = 'unitFleet.storedSecrets';

export interface SecretNeed {
  envName: string;
  /** What it is for, e.g. "etcd password of user root" or "passphrase of ~/.ssh/id_ed25519 (core-01, core-02)". */
  purpose: string;
}

/** The variable names a definition mentions, with what each is for. */
export function secretNeeds(config: ClusterConfig): SecretNeed[] {
  const needs = new Map<string, { purpose: string; machines: string[] }>();
  const add = (envName: string | undefined, purpose: string, machine?: string): void => {
    if (!envName) return;
    const known = needs.get(envName);
    if (known) {
      if (machine) known.machines.push(machine);
    } else needs.set(envName, { purpose, machines: machine ? [machine] : [] });
  };
  if (config.etcd.username) add(config.etcd.passwordEnv, `etcd password of user ${config.etcd.username}`);
  for (const m of config.machines) {
    add(m.passphraseEnv, `passphrase of the ssh key ${m.identityFile ?? ''}`.trim(), m.name);
    add(m.passwordEnv, `ssh password of ${m.user}`, m.name);
  }
  return [...needs].map(([envName, n]) => ({ envName, purpose: n.machines.length > 0 ? `${n.purpose} (${n.machines.join(', ')})` : n.purpose }));
}

export class ClusterSecretStore {
  constructor(private readonly context: vscode.ExtensionContext) {}

  private key(cluster: string, envName: string): string {
    return `unitFleet.secret/${cluster}/${envName}`;
  }

  /**
   * The values for `needs`, asking for the missing ones (when `interactive`). Returns undefined when
   * the user cancels an input box.
   */
  async collect(cluster: string, needs: readonly SecretNeed[], interactive: boolean): Promise<Record<string, string> | undefined> {
    const env: Record<string, string> = {};
    for (const need of needs) {
      const key = this.key(cluster, need.envName);
      let value = await this.context.secrets.get(key);
      if (value === undefined) {
        if (!interactive) continue;
        value = await vscode.window.showInputBox({
          title: `Unit Fleet: ${need.envName} for cluster "${cluster}"`,
          prompt: `The cluster definition takes the ${need.purpose} from ${need.envName}. Asked once; kept in VS Code's secret storage (never in settings or files).`,
          password: true,
          ignoreFocusOut: true,
        });
        if (value === undefined) return undefined;
        await this.store(key, value);
      }
      env[need.envName] = value;
    }
    return env;
  }

  private async store(key: string, value: string): Promise<void> {
    await this.context.secrets.store(key, value);
    const index = new Set(this.context.globalState.get<string[]>(indexKey, []));
    index.add(key);
    await this.context.globalState.update(indexKey, [...index]);
  }

  /** Forgets every stored secret (of `cluster` only, when given). Returns how many were removed. */
  async forget(cluster?: string): Promise<number> {
    const index = this.context.globalState.get<string[]>(indexKey, []);
    const prefix = cluster === undefined ? 'unitFleet.secret/' : `unitFleet.secret/${cluster}/`;
    const gone = index.filter((k) => k.startsWith(prefix));
    for (const key of gone) await this.context.secrets.delete(key);
    await this.context.globalState.update(
      indexKey,
      index.filter((k) => !gone.includes(k)),
    );
    return gone.length;
  }

  async count(): Promise<number> {
    return this.context.globalState.get<string[]>(indexKey, []).length;
  }
}
