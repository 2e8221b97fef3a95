// One etcd member per machine, run by the machine's own systemd from Debian's etcd.service, which
// reads /etc/default/etcd. Members know each other from the start (static bootstrap), so no
// discovery service is involved.
import * as http from 'node:http';
import { tryRun, type RunResult } from './exec';
import { etcdClientUrl, etcdPeerUrl, type MachinePlan } from './topology';

export const ETCD_CLUSTER_TOKEN = 'unit-fleet-local';
export const ETCD_PREFIX = '/unit-fleet/';

export function etcdEnvironment(machine: MachinePlan, all: readonly MachinePlan[], v2: boolean): string {
  const lines = [
    '# Written by the Unit Fleet harness: this machine\'s member of the cluster\'s etcd.',
    `ETCD_NAME=${machine.name}`,
    'ETCD_DATA_DIR=/var/lib/etcd/default',
    `ETCD_LISTEN_PEER_URLS=${etcdPeerUrl(machine.address)}`,
    // 127.0.0.1 too, so that units on the machine can use etcdctl without --endpoints.
    `ETCD_LISTEN_CLIENT_URLS=${etcdClientUrl(machine.address)},http://127.0.0.1:2379`,
    `ETCD_INITIAL_ADVERTISE_PEER_URLS=${etcdPeerUrl(machine.address)}`,
    `ETCD_ADVERTISE_CLIENT_URLS=${etcdClientUrl(machine.address)}`,
    `ETCD_INITIAL_CLUSTER=${all.map((m) => `${m.name}=${etcdPeerUrl(m.address)}`).join(',')}`,
    'ETCD_INITIAL_CLUSTER_STATE=new',
    `ETCD_INITIAL_CLUSTER_TOKEN=${ETCD_CLUSTER_TOKEN}`,
    // v2 is off by default since etcd 3.4; --etcd-v2 turns it on for units that still use `etcdctl set`.
    `ETCD_ENABLE_V2=${v2 ? 'true' : 'false'}`,
    // Pre-vote: a member coming back from a partition does not disrupt the leader with a new term.
    'ETCD_PRE_VOTE=true',
    '',
  ];
  return lines.join('\n');
}

/** GET /health on one member: true when it is part of a cluster with a leader. */
export function memberHealthy(address: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ host: address, port: 2379, path: '/health', timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        try {
          resolve(response.statusCode === 200 && (JSON.parse(body) as { health?: string }).health === 'true');
        } catch {
          resolve(false);
        }
      });
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });
}

/** etcdctl (v3 API) from the host against the given endpoints. */
export function etcdctl(endpoints: readonly string[], args: readonly string[], timeoutMs = 15_000): Promise<RunResult> {
  return tryRun('etcdctl', ['--endpoints', endpoints.join(','), '--dial-timeout', '2s', '--command-timeout', '5s', ...args], {
    env: { ETCDCTL_API: '3' },
    timeoutMs,
  });
}
