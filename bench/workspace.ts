// Workspace benchmark (in process): 5,000 generated unit files on disk — 1,000 apps, each a
// template service, its etcd sidekick (writer), a load balancer (prefix reader), the load
// balancer's watcher and a timer — then
//   1. the workspace index built from disk: scan, read, index, and every file's etcd keys
//      (targets < 2 s);
//   2. one edit of a sidekick re-checks the files that depend on its keys: the edited file is
//      re-indexed, its dependents found, and each re-validated with every rule (target < 20 ms).
// Run: npx tsx bench/workspace.ts [apps]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { dependentFiles, workspaceKeys } from '../server/src/language/etcd/unitKeys';
import { UnitLanguageService } from '../server/src/language/languageService';
import { findUnitFiles } from '../server/src/workspaceScan';

const APPS = Number(process.argv[2] ?? 1000);

function files(i: number): Record<string, string> {
  const app = `app${i}`;
  const port = 3000 + (i % 5000);
  return {
    [`${app}@.service`]: `[Unit]\nDescription=${app} %i\nAfter=docker.service\nRequires=docker.service\n\n[Service]\nExecStartPre=-/usr/bin/docker kill ${app}\nExecStartPre=-/usr/bin/docker rm ${app}\nExecStart=/usr/bin/docker run --rm --name ${app} -p ${port}:${port} example/${app}:latest\nExecStop=/usr/bin/docker stop ${app}\n\n[X-Fleet]\nConflicts=${app}@*.service\n`,
    [`${app}-sidekick@.service`]: `[Unit]\nDescription=Announces ${app}@%i\nBindsTo=${app}@%i.service\nAfter=${app}@%i.service\n\n[Service]\nExecStart=/bin/sh -c 'while true; do \\\n  LEASE=$(etcdctl lease grant 30 | cut -d" " -f2); \\\n  etcdctl put --lease=$LEASE /services/${app}/%H "$(hostname -I | cut -d" " -f1):${port}"; \\\n  etcdctl put /services/changed/${app} "$(date +%%s)"; \\\n  etcdctl lease keep-alive $LEASE; \\\n  sleep 5; \\\ndone'\nExecStop=/usr/bin/etcdctl del /services/${app}/%H\n\n[X-Fleet]\nMachineOf=${app}@%i.service\n`,
    [`${app}-lb.service`]: `[Unit]\nDescription=Load balancer for ${app}\n\n[Service]\nExecStartPre=/bin/sh -c 'etcdctl get --prefix --print-value-only /services/${app}/ > /run/${app}-upstreams'\nExecStart=/usr/bin/docker run --rm --name ${app}-lb -v /run/${app}-upstreams:/upstreams:ro example/lb:latest\n`,
    [`${app}-lb-watch.service`]: `[Unit]\nDescription=Restarts ${app}-lb on changes\nBindsTo=${app}-lb.service\n\n[Service]\nExecStart=/bin/sh -c 'etcdctl watch /services/changed/${app} | while read -r l; do systemctl restart ${app}-lb.service; done'\n\n[X-Fleet]\nMachineOf=${app}-lb.service\n`,
    [`${app}-backup.timer`]: `[Unit]\nDescription=Backup of ${app}\n\n[Timer]\nOnCalendar=daily\nPersistent=true\n`,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const ms = (v: number) => `${v.toFixed(2)} ms`;

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'unit-fleet-bench-'));
  try {
    for (let i = 0; i < APPS; i++) for (const [name, text] of Object.entries(files(i))) writeFileSync(join(root, name), text);
    const total = APPS * 5;
    console.log(`# workspace benchmark (node ${process.version}): ${total} unit files in ${root}`);

    // 1. Index from disk, the way the server does at start-up, then every file's etcd keys.
    const service = new UnitLanguageService();
    const t0 = performance.now();
    // As the server does: the scan feeds reads, 32 at a time.
    let n = 0;
    const pending = new Set<Promise<void>>();
    for await (const uri of findUnitFiles(`file://${root}`)) {
      const p: Promise<void> = readFile(fileURLToPath(uri), 'utf8').then((text) => {
        service.workspace.set(uri, text);
        n++;
        pending.delete(p);
      });
      pending.add(p);
      if (pending.size >= 32) await Promise.race(pending);
    }
    await Promise.all(pending);
    const t1 = performance.now();
    const keys = workspaceKeys(service.workspace);
    const t2 = performance.now();
    console.log(`index: scan + read + index ${n} files            ${ms(t1 - t0)}`);
    console.log(`index: etcd keys of every file (${keys.usages.length} usages, parse included) ${ms(t2 - t1)}`);
    console.log(`index: total                                      ${ms(t2 - t0)}  (target < 2000 ms)`);

    // 2. Edits: a sidekick's key changes; its dependents (load balancer) are open and re-checked.
    const open = new Map<string, TextDocument>();
    const docOf = (uri: string, version: number, text: string) => {
      const d = TextDocument.create(uri, 'systemd-unit', version, text);
      open.set(uri, d);
      return d;
    };
    const edits: number[] = [];
    const rechecked: number[] = [];
    for (let k = 0; k < 200; k++) {
      const app = `app${(k * 7919) % APPS}`;
      const uri = `file://${join(root, `${app}-sidekick@.service`)}`;
      const lb = `file://${join(root, `${app}-lb.service`)}`;
      // Open the load balancer first (not timed): in an editor it would already be open.
      if (!open.has(lb)) service.validate(docOf(lb, 1, service.workspace.get(lb)!.text));
      const original = service.workspace.get(uri)!.text;
      const text = k % 2 === 0 ? original.replaceAll(`/services/${app}/`, `/services/${app}-x/`) : original;
      const start = performance.now();
      service.validate(docOf(uri, 100 + k, text === original ? `${original}\n` : text));
      const dependents = dependentFiles(service.workspace, uri);
      const affected = new Set([...dependents, lb]); // the reader whose writer just vanished counts too
      for (const dep of affected) {
        const d = open.get(dep);
        if (d) service.validate(d);
      }
      edits.push(performance.now() - start);
      rechecked.push(affected.size);
    }
    console.log(
      `edit → re-index + dependents re-checked (every rule), n=${edits.length}: p50 ${ms(percentile(edits, 50))}  p99 ${ms(percentile(edits, 99))}  max ${ms(Math.max(...edits))}  (files re-checked per edit: ${Math.min(...rechecked)}–${Math.max(...rechecked)}; target < 20 ms)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
