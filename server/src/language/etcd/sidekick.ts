// "Create sidekick": from a service (`web@.service` or `web.service`), a unit that runs next to it
// (`[X-Fleet] MachineOf=`), lives and dies with it (`BindsTo=`/`After=`), announces the machine's
// `host:port` under `/services/<name>/%H` with a lease kept alive in a loop — so the key vanishes
// when the machine does — and removes that same key when it stops. v3 etcdctl syntax unless
// `unitFleet.etcd.apiVersion` is v2. The port is the host side of the service's `docker run -p`.
import { CodeActionKind, type CodeAction } from 'vscode-languageserver-types';
import { execLinesOf, programName } from '../commandLine';
import type { UnitFile } from '../unitFile/ast';
import type { UnitFileName } from '../unitFile/unitName';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { EtcdApi } from './etcdctl';

export const SIDEKICK_ACTION_KIND = CodeActionKind.Source;

export interface SidekickPlan {
  /** `web-sidekick@.service` */
  fileName: string;
  /** `web@%i.service` or `web.service`: what the sidekick binds to. */
  target: string;
  key: string;
  /** Undefined when the service publishes no port (the text then holds the placeholder PORT). */
  port: string | undefined;
  text: string;
}

/** True for the services a sidekick makes sense for (not drop-ins, not sidekicks themselves). */
export function wantsSidekick(name: UnitFileName): boolean {
  return name.type === 'service' && !name.dropIn && name.unitName !== undefined && name.prefix !== undefined && !/sidekick$/i.test(name.prefix);
}

/** The host port of the first `docker run -p HOST:CONTAINER` (or `--publish`) of the unit. */
export function publishedPort(file: UnitFile): string | undefined {
  for (const { line } of execLinesOf(file)) {
    for (const command of line.commands) {
      if (programName(command) !== 'docker') continue;
      const texts = command.argv.map((w) => w.text);
      const run = texts.indexOf('run');
      if (run < 0) continue;
      for (let i = run + 1; i < texts.length; i++) {
        const t = texts[i];
        let spec: string | undefined;
        if (t === '-p' || t === '--publish') spec = texts[i + 1];
        else if (t.startsWith('--publish=')) spec = t.slice('--publish='.length);
        else if (/^-p\d/.test(t)) spec = t.slice(2);
        if (spec === undefined) continue;
        const fields = spec.replace(/\/(tcp|udp|sctp)$/, '').split(':');
        const host = fields.length >= 2 ? fields[fields.length - 2] : undefined;
        if (host && /^\d+$/.test(host)) return host;
      }
    }
  }
  return undefined;
}

export function planSidekick(name: UnitFileName, file: UnitFile, api: EtcdApi = 'v3'): SidekickPlan | undefined {
  if (!wantsSidekick(name)) return undefined;
  const prefix = name.prefix!;
  const template = name.template;
  const instance = name.instance;
  const fileName = template ? `${prefix}-sidekick@.service` : instance ? `${prefix}-sidekick@${instance}.service` : `${prefix}-sidekick.service`;
  const target = template ? `${prefix}@%i.service` : name.unitName!;
  const key = `/services/${prefix}/%H`;
  const port = publishedPort(file);
  const address = `$(hostname -I | cut -d" " -f1):${port ?? 'PORT'}`;
  const lines = [
    '[Unit]',
    `Description=Announces ${target} in etcd`,
    `BindsTo=${target}`,
    `After=${target}`,
    '',
    '[Service]',
  ];
  if (!port) lines.push('# Replace PORT with the port the service listens on (it publishes none with docker run -p).');
  if (api === 'v3') {
    lines.push(
      `# Announce host:port under ${key} with a 30 s lease kept alive in a loop: if the machine dies,`,
      '# the lease expires and the key disappears.',
      "ExecStart=/bin/sh -c 'while true; do \\",
      '  LEASE=$(etcdctl lease grant 30 | cut -d" " -f2); \\',
      `  etcdctl put --lease=$LEASE ${key} "${address}"; \\`,
      '  etcdctl lease keep-alive $LEASE; \\',
      '  sleep 5; \\',
      "done'",
      `ExecStop=/usr/bin/etcdctl del ${key}`,
    );
  } else {
    lines.push(
      '# The etcd v2 API (unitFleet.etcd.apiVersion is v2): a TTL renewed in a loop; if the machine dies,',
      '# the key expires.',
      'Environment=ETCDCTL_API=2',
      `ExecStart=/bin/sh -c 'while true; do etcdctl set ${key} "${address}" --ttl 60; sleep 45; done'`,
      `ExecStop=/usr/bin/etcdctl rm ${key}`,
    );
  }
  lines.push('', '[X-Fleet]', `MachineOf=${target}`, '');
  return { fileName, target, key, port, text: lines.join('\n') };
}

/** The "Create sidekick" action for a service document, or undefined when it does not apply. */
export function createSidekickAction(uri: string, name: UnitFileName, file: UnitFile, workspace: WorkspaceIndex, api: EtcdApi = 'v3'): CodeAction | undefined {
  const plan = planSidekick(name, file, api);
  if (!plan) return undefined;
  if (workspace.findUnit(plan.fileName).length > 0) return undefined; // it exists already
  const slash = uri.lastIndexOf('/');
  const encoded = uri.includes('%40') ? plan.fileName.replace('@', '%40') : plan.fileName;
  const target = `${uri.slice(0, slash + 1)}${encoded}`;
  return {
    title: `Create sidekick ${plan.fileName} (announces host:port under ${plan.key})`,
    kind: SIDEKICK_ACTION_KIND,
    edit: {
      documentChanges: [
        { kind: 'create', uri: target, options: { overwrite: false, ignoreIfExists: false } },
        { textDocument: { uri: target, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: plan.text }] },
      ],
    },
  };
}
