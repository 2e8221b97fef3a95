// Bringing one machine in line with the recorded state, in one SSH round trip: unit files are
// written atomically (temp file + rename, only when their content changed) into
// /etc/systemd/system, systemd reloads once, then units are started, stopped or removed. Every
// step is idempotent, so re-running after a failure finishes the job.
import type { Cluster } from './cluster';
import { ClusterError, messageOf } from './errors';
import { MANAGED_DIR, UNIT_DIR, atomicWriteScript, parseSystemctlShow, type UnitOnMachine } from './machines';
import { assertUnitName } from './names';
import type { DesiredState } from './keys';

export interface MachineOps {
  /** Units that must be on the machine, in this desired state ('loaded' stops them, 'launched' starts them). */
  install: Array<{ name: string; text: string; desired: Exclude<DesiredState, 'inactive'> }>;
  /** Units that must leave the machine (stopped, file removed). */
  remove: string[];
  /** Units to restart (after install). */
  restart?: string[];
}

export interface MachineApplyResult {
  machine: string;
  ok: boolean;
  units: UnitOnMachine[];
  error?: string;
  errorKind?: string;
}

export function machineScript(ops: MachineOps): string {
  const all = [...ops.install.map((u) => u.name), ...ops.remove, ...(ops.restart ?? [])];
  for (const name of all) assertUnitName(name);
  const lines = ['changed=0', 'failed=0', `mkdir -p ${MANAGED_DIR}`];
  for (const u of ops.install) {
    lines.push(atomicWriteScript(`${UNIT_DIR}/${u.name}`, u.text));
    lines.push(`[ -e ${MANAGED_DIR}/${u.name} ] || : > ${MANAGED_DIR}/${u.name}`);
  }
  if (ops.remove.length > 0) {
    const names = ops.remove.join(' ');
    lines.push(`systemctl stop -- ${names} 2>/dev/null`);
    lines.push(`for u in ${names}; do if [ -e ${UNIT_DIR}/$u ] || [ -e ${MANAGED_DIR}/$u ]; then rm -f ${UNIT_DIR}/$u ${MANAGED_DIR}/$u; changed=1; fi; done`);
  }
  lines.push('[ "$changed" = 1 ] && systemctl daemon-reload');
  const launched = ops.install.filter((u) => u.desired === 'launched').map((u) => u.name);
  const loaded = ops.install.filter((u) => u.desired === 'loaded').map((u) => u.name);
  if (loaded.length > 0) lines.push(`systemctl stop -- ${loaded.join(' ')} || failed=1`);
  if (launched.length > 0) lines.push(`systemctl start -- ${launched.join(' ')} || failed=1`);
  if (ops.restart && ops.restart.length > 0) lines.push(`systemctl restart -- ${ops.restart.join(' ')} || failed=1`);
  const shown = [...new Set([...ops.install.map((u) => u.name), ...(ops.restart ?? [])])];
  lines.push('echo ---');
  if (shown.length > 0) lines.push(`systemctl show -p Id -p LoadState -p ActiveState -p SubState -- ${shown.join(' ')}`);
  lines.push('exit $failed');
  return lines.join('\n') + '\n';
}

/** Applies `ops` on the machine named `machine`. Never throws: failures are in the result. */
export async function applyOnMachine(cluster: Cluster, machine: string, ops: MachineOps, timeoutMs = 60_000): Promise<MachineApplyResult> {
  try {
    const result = await cluster.ssh.exec(machine, { raw: 'sh -s' }, { stdin: machineScript(ops), timeoutMs });
    const [, shown = ''] = result.stdout.split(/^---$/m);
    const units = parseSystemctlShow(shown.trim());
    if (result.code !== 0) {
      const failedUnits = units.filter((u) => u.active === 'failed' || (u.active !== 'active' && ops.install.some((i) => i.name === u.name && i.desired === 'launched')));
      const detail = result.stderr.trim().split('\n').slice(-3).join(' ');
      return {
        machine,
        ok: false,
        units,
        errorKind: 'remote',
        error: `on ${machine}: ${failedUnits.length > 0 ? `${failedUnits.map((u) => u.name).join(', ')} failed to reach the desired state` : 'the command failed'}${detail ? ` (${detail})` : ''}; see unit-fleet status`,
      };
    }
    return { machine, ok: true, units };
  } catch (error) {
    return { machine, ok: false, units: [], error: messageOf(error), errorKind: error instanceof ClusterError ? error.kind : undefined };
  }
}
