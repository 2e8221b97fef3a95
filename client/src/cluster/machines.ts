// Machines: identity and facts over SSH (one round trip per machine), liveness from the machine's
// etcd lease (the presence unit) with SSH reachability as the second signal, and the presence
// unit itself, installed when a machine joins.
import type { Etcd3 } from 'etcd3';
import type { ClusterConfig, MachineConfig } from './definition';
import { ClusterError, messageOf } from './errors';
import { etcdCall } from './etcd/connect';
import { stateKeys } from './keys';
import { isMachineId, isValidUnitName } from './names';
import { quoteArg } from './ssh/command';
import type { SshPool } from './ssh/pool';

export const PRESENCE_UNIT = 'unit-fleet-presence.service';
/** Lease TTL of a machine's presence key (s): a power cut is noticed after at most this long. */
export const PRESENCE_TTL_S = 4;
/** Folder on each machine with one empty file per unit Unit Fleet put there. */
export const MANAGED_DIR = '/etc/unit-fleet/managed';
export const UNIT_DIR = '/etc/systemd/system';

export interface UnitOnMachine {
  name: string;
  load: string;
  active: string;
  sub: string;
}

export interface MachineFacts {
  machineId: string;
  hostname: string;
  systemdVersion: string;
  addresses: string[];
  bootId: string;
  presenceActive: boolean;
  /** Units Unit Fleet placed on the machine (from its managed folder), with systemd's states. */
  units: UnitOnMachine[];
}

export interface MachineStatus {
  name: string;
  host: string;
  metadata: Record<string, string>;
  machineId?: string;
  hostname?: string;
  systemdVersion?: string;
  addresses?: string[];
  bootId?: string;
  units: UnitOnMachine[];
  /** SSH answered just now. */
  reachable: boolean;
  /** The machine's presence key exists in etcd (its lease is alive). */
  presence: boolean;
  /** presence || reachable: a machine is dead only when both signals say so. */
  alive: boolean;
  presenceUnitActive?: boolean;
  error?: string;
  /** The kind of `error` (e.g. 'host-key', 'auth', 'timeout'). */
  errorKind?: string;
}

const PROBE = [
  'cat /etc/machine-id',
  'hostname',
  'systemctl --version | head -n1',
  'hostname -I 2>/dev/null || echo',
  'cat /proc/sys/kernel/random/boot_id',
  `systemctl is-active ${PRESENCE_UNIT} || true`,
  'echo ---',
  `units=$(ls ${MANAGED_DIR} 2>/dev/null)`,
  '[ -n "$units" ] && systemctl show -p Id -p LoadState -p ActiveState -p SubState -- $units',
  'true',
].join('\n');

export function parseSystemctlShow(text: string): UnitOnMachine[] {
  const units: UnitOnMachine[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const props: Record<string, string> = {};
    for (const line of block.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) props[line.slice(0, eq)] = line.slice(eq + 1);
    }
    if (props.Id) units.push({ name: props.Id, load: props.LoadState ?? '', active: props.ActiveState ?? '', sub: props.SubState ?? '' });
  }
  return units;
}

export async function probeMachine(ssh: SshPool, name: string, timeoutMs?: number): Promise<MachineFacts> {
  const out = await ssh.run(name, { raw: PROBE }, { timeoutMs });
  const [head, tail = ''] = out.split('\n---\n');
  const lines = head!.split('\n');
  const machineId = (lines[0] ?? '').trim();
  if (!isMachineId(machineId)) throw new ClusterError('remote', `${name} has no valid /etc/machine-id (read "${machineId}")`);
  const units = parseSystemctlShow(tail).filter((u) => isValidUnitName(u.name));
  return {
    machineId,
    hostname: (lines[1] ?? '').trim(),
    systemdVersion: (lines[2] ?? '').trim().replace(/^systemd\s+/, '').split(' ')[0] ?? '',
    addresses: (lines[3] ?? '').trim().split(/\s+/).filter(Boolean),
    bootId: (lines[4] ?? '').trim(),
    presenceActive: (lines[5] ?? '').trim() === 'active',
    units,
  };
}

/** Machine ids with a live presence lease. */
export async function presentMachines(etcd: Etcd3, config: ClusterConfig): Promise<Map<string, { hostname?: string; bootId?: string }>> {
  const keys = stateKeys(config.etcd.prefix);
  const all = await etcdCall(config.etcd.endpoints, 'read of machine presence', () => etcd.getAll().prefix(keys.machines).strings());
  const present = new Map<string, { hostname?: string; bootId?: string }>();
  for (const [key, value] of Object.entries(all)) {
    const id = key.slice(keys.machines.length);
    let info: { hostname?: string; bootId?: string } = {};
    try {
      info = JSON.parse(value) as typeof info;
    } catch {
      /* older format */
    }
    present.set(id, info);
  }
  return present;
}

export function presenceScript(config: ClusterConfig): string {
  const keys = stateKeys(config.etcd.prefix);
  const endpoints = config.etcd.endpoints.join(',');
  const ctl = `etcdctl --endpoints=${quoteArg(endpoints)} --dial-timeout=2s --command-timeout=3s`;
  return [
    '#!/bin/sh',
    '# Written by Unit Fleet. Keeps this machine\'s presence key alive in etcd under a lease, so the',
    '# cluster knows the machine is alive; when the machine dies, the lease expires and the key goes.',
    'export ETCDCTL_API=3',
    '[ -f /etc/unit-fleet/etcd.env ] && . /etc/unit-fleet/etcd.env',
    `KEY=${quoteArg(keys.machines)}"$(cat /etc/machine-id)"`,
    `LEASE=$(${ctl} lease grant ${PRESENCE_TTL_S} | awk '{print $2}')`,
    '[ -n "$LEASE" ] || exit 1',
    `${ctl} put --lease="$LEASE" "$KEY" "$(printf '{"hostname":"%s","bootId":"%s"}' "$(hostname)" "$(cat /proc/sys/kernel/random/boot_id)")" >/dev/null || exit 1`,
    `${ctl} lease keep-alive "$LEASE" >/dev/null`,
    '# keep-alive ends only when the lease is lost (it expired while etcd was out of reach): the',
    '# cluster may have moved this machine\'s units elsewhere, so stop them here (never two running).',
    '# The reconciler starts them again if they are still placed here.',
    `for unit in $(ls ${MANAGED_DIR} 2>/dev/null); do systemctl stop --no-block -- "$unit"; done`,
    'exit 1',
    '',
  ].join('\n');
}

export function presenceUnit(): string {
  return [
    '[Unit]',
    'Description=Unit Fleet presence: keeps this machine\'s liveness lease alive in etcd',
    'Wants=network-online.target',
    'After=network-online.target etcd.service',
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'ExecStart=/bin/sh /etc/unit-fleet/presence.sh',
    'Restart=always',
    'RestartSec=1',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/** A shell script that writes `text` to `file` atomically (temp file + rename), unless unchanged. Sets changed=1 when it wrote. */
export function atomicWriteScript(file: string, text: string, mode = '0644'): string {
  const b64 = Buffer.from(text, 'utf8').toString('base64');
  const f = quoteArg(file);
  const tmp = quoteArg(`${file}.unit-fleet-tmp`);
  return [
    `printf '%s' ${b64} | base64 -d > ${tmp} && chmod ${mode} ${tmp}`,
    `if cmp -s ${tmp} ${f}; then rm -f ${tmp}; else mv -f ${tmp} ${f} && changed=1; fi`,
  ].join('\n');
}

/** Installs (or refreshes) the presence unit and starts it. Idempotent. */
export async function installPresence(ssh: SshPool, config: ClusterConfig, machine: string, etcdEnv?: string): Promise<void> {
  const script = [
    'set -e',
    'changed=0',
    `mkdir -p /etc/unit-fleet ${MANAGED_DIR}`,
    atomicWriteScript('/etc/unit-fleet/presence.sh', presenceScript(config), '0755'),
    etcdEnv !== undefined ? atomicWriteScript('/etc/unit-fleet/etcd.env', etcdEnv, '0600') : 'true',
    atomicWriteScript(`${UNIT_DIR}/${PRESENCE_UNIT}`, presenceUnit()),
    `if [ "$changed" = 1 ]; then systemctl daemon-reload; systemctl enable ${PRESENCE_UNIT} >/dev/null 2>&1; systemctl restart ${PRESENCE_UNIT}; else systemctl is-active -q ${PRESENCE_UNIT} || systemctl start ${PRESENCE_UNIT}; fi`,
  ].join('\n');
  await ssh.run(machine, { raw: script }, { timeoutMs: 20_000 });
}

export interface MachineListOptions {
  /** Timeout of each machine's SSH probe (ms). */
  timeoutMs?: number;
}

/** Every machine of the definition with facts and liveness, probed in parallel. */
export async function listMachines(ssh: SshPool, etcd: Etcd3 | undefined, config: ClusterConfig, options: MachineListOptions = {}): Promise<MachineStatus[]> {
  let present: Map<string, { hostname?: string; bootId?: string }> | undefined;
  let etcdError: string | undefined;
  const presence = etcd
    ? presentMachines(etcd, config).then(
        (p) => (present = p),
        (error: unknown) => {
          etcdError = messageOf(error);
        },
      )
    : Promise.resolve();
  const probes = config.machines.map(async (m: MachineConfig): Promise<MachineStatus> => {
    const base: MachineStatus = { name: m.name, host: m.host, metadata: m.metadata, machineId: m.machineId, units: [], reachable: false, presence: false, alive: false };
    try {
      const facts = await probeMachine(ssh, m.name, options.timeoutMs);
      if (m.machineId && m.machineId !== facts.machineId) {
        base.error = `machine-id ${facts.machineId} differs from the definition's ${m.machineId} (reinstalled or swapped machine?)`;
      }
      return { ...base, ...facts, machineId: facts.machineId, presenceUnitActive: facts.presenceActive, reachable: true };
    } catch (error) {
      return { ...base, error: messageOf(error), errorKind: error instanceof ClusterError ? error.kind : undefined };
    }
  });
  const [machines] = await Promise.all([Promise.all(probes), presence]);
  for (const m of machines) {
    m.presence = m.machineId !== undefined && present !== undefined && present.has(m.machineId);
    m.alive = m.presence || m.reachable;
    if (etcdError && !m.error) m.error = `presence unknown: ${etcdError}`;
  }
  return machines;
}
