// The shape of the local cluster: names, addresses and metadata of each machine. Pure data, so the
// same plan drives network setup, etcd membership, /etc/hosts and the cluster definition file.

/** One bridge on the host; machines hang off it through veth pairs. */
export const BRIDGE = { name: 'uf-br0', address: '10.213.0.1', prefixLength: 24 } as const;
export const SUBNET = '10.213.0.0/24';
/** core-01 gets .11, core-02 .12, … */
const FIRST_HOST = 11;
export const MAX_MACHINES = 50;

export const ETCD_CLIENT_PORT = 2379;
export const ETCD_PEER_PORT = 2380;

export interface MachinePlan {
  name: string;
  address: string;
  /** Network namespace name under /run/netns. */
  netns: string;
  /** Host end of the machine's veth pair (kernel limit: 15 characters). */
  veth: string;
  /** Scheduling metadata (fleet MachineMetadata), varied so that constraints have something to match. */
  metadata: Record<string, string>;
}

export function machineName(index: number): string {
  return `core-${String(index + 1).padStart(2, '0')}`;
}

/** Metadata pattern: core-01 web/ssd, core-02 web/hdd, core-03 db/ssd, then repeating. */
function metadataFor(index: number): Record<string, string> {
  return {
    role: index % 3 === 2 ? 'db' : 'web',
    disk: index % 2 === 1 ? 'hdd' : 'ssd',
  };
}

export function planMachines(count: number): MachinePlan[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_MACHINES) {
    throw new Error(`--machines must be an integer from 1 to ${MAX_MACHINES}, got ${count}`);
  }
  return Array.from({ length: count }, (_, index) => {
    const name = machineName(index);
    return {
      name,
      address: `10.213.0.${FIRST_HOST + index}`,
      netns: `unit-fleet-${name}`,
      veth: `uf-${name}`,
      metadata: metadataFor(index),
    };
  });
}

export const etcdClientUrl = (address: string) => `http://${address}:${ETCD_CLIENT_PORT}`;
export const etcdPeerUrl = (address: string) => `http://${address}:${ETCD_PEER_PORT}`;
