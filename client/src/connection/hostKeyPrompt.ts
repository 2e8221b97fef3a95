// An unknown SSH host key is shown with its fingerprint in a modal, for an explicit decision.
// Trusted keys are appended to the definition's known_hosts by the core. Prompts for several
// machines come one after another, never stacked.
import * as vscode from 'vscode';
import type { UnknownHostKey } from '../cluster/ssh/pool';

let queue: Promise<unknown> = Promise.resolve();

export function askToTrustHostKey(key: UnknownHostKey, knownHostsFile: string, log: (line: string) => void): Promise<boolean> {
  const next = queue.then(async () => {
    const where = key.port === 22 ? key.host : `${key.host}:${key.port}`;
    const trust = 'Trust and Connect';
    const answer = await vscode.window.showWarningMessage(
      `Unknown SSH host key for ${key.machine} (${where})`,
      {
        modal: true,
        detail:
          `${key.keyType} key fingerprint:\n${key.fingerprint}\n\n` +
          `It is not in ${knownHostsFile}. Compare the fingerprint with the machine's own ` +
          `(ssh-keygen -lf /etc/ssh/ssh_host_${key.keyType.replace(/^ssh-/, '').replace(/^ecdsa-sha2-nistp\d+$/, 'ecdsa')}_key.pub on the machine) before trusting it. ` +
          'Trusting records it in known_hosts.',
      },
      trust,
    );
    const trusted = answer === trust;
    log(`${trusted ? 'trusted' : 'refused'} the host key of ${key.machine} (${where}): ${key.keyType} ${key.fingerprint}`);
    return trusted;
  });
  queue = next.catch(() => undefined);
  return next;
}
