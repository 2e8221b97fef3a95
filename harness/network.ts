// The cluster network: one host bridge with one veth pair per machine, the machine end living in the
// machine's own network namespace as eth0. The host reaches machines over the bridge; there is no
// default route inside machines and no forwarding on the host, so nothing can leave this subnet.
import { run, tryRun } from './exec';
import { BRIDGE, type MachinePlan } from './topology';

async function ip(args: string[]): Promise<string> {
  return run('ip', args);
}

export async function linkExists(name: string): Promise<boolean> {
  return (await tryRun('ip', ['link', 'show', 'dev', name])).code === 0;
}

export async function netnsList(): Promise<string[]> {
  const out = await tryRun('ip', ['netns', 'list']);
  return out.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((name): name is string => !!name);
}

/** Refuses to take the subnet when some other interface already owns an address in it. */
async function assertSubnetFree(): Promise<void> {
  const out = await run('ip', ['-o', '-4', 'addr', 'show']);
  for (const line of out.split('\n')) {
    const match = /^\d+:\s+(\S+)\s+inet\s+10\.213\.0\.\d+\//.exec(line);
    if (match && match[1] !== BRIDGE.name) {
      throw new Error(`10.213.0.0/24 is already used by interface ${match[1]} on this host; the harness needs it for its bridge`);
    }
  }
}

export async function ensureBridge(): Promise<void> {
  if (!(await linkExists(BRIDGE.name))) {
    await assertSubnetFree();
    await ip(['link', 'add', BRIDGE.name, 'type', 'bridge']);
  }
  const addrs = await run('ip', ['-o', '-4', 'addr', 'show', 'dev', BRIDGE.name]);
  if (!addrs.includes(`${BRIDGE.address}/`)) {
    await ip(['addr', 'add', `${BRIDGE.address}/${BRIDGE.prefixLength}`, 'dev', BRIDGE.name]);
  }
  await ip(['link', 'set', BRIDGE.name, 'up']);
}

export async function removeBridge(): Promise<void> {
  await removeLink(BRIDGE.name);
}

/** Deletes a link; one that vanishes meanwhile (a veth dies with its namespace, asynchronously) is fine. */
export async function removeLink(name: string): Promise<void> {
  const result = await tryRun('ip', ['link', 'del', name]);
  if (result.code !== 0 && (await linkExists(name))) throw new Error(`ip link del ${name}: ${result.stderr.trim()}`);
}

/**
 * Gives a machine its "network card": a fresh namespace with lo and eth0 (address/24, no default
 * route). Made anew on every boot, so a restarted machine starts with clean network state, like
 * real hardware after a power cycle.
 */
export async function createMachineNetwork(machine: MachinePlan, options: { forwarding: boolean; partitioned: boolean }): Promise<void> {
  const namespaces = await netnsList();
  if (!namespaces.includes(machine.netns)) await ip(['netns', 'add', machine.netns]);
  if (!(await linkExists(machine.veth))) {
    await ip(['link', 'add', machine.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', machine.netns]);
  }
  await ip(['link', 'set', machine.veth, 'master', BRIDGE.name]);
  await ip(['link', 'set', machine.veth, options.partitioned ? 'down' : 'up']);
  await ip(['-n', machine.netns, 'link', 'set', 'lo', 'up']);
  const addrs = await run('ip', ['-n', machine.netns, '-o', '-4', 'addr', 'show', 'dev', 'eth0']);
  if (!addrs.includes(`${machine.address}/`)) {
    await ip(['-n', machine.netns, 'addr', 'add', `${machine.address}/${BRIDGE.prefixLength}`, 'dev', 'eth0']);
  }
  await ip(['-n', machine.netns, 'link', 'set', 'eth0', 'up']);
  // Docker inside the machine routes between its own bridge and eth0; this sysctl is per namespace
  // and must be set from outside because the machine's /proc/sys is read-only.
  if (options.forwarding) await run('ip', ['netns', 'exec', machine.netns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
}

/** Deleting the namespace destroys the machine end of the veth, which takes the host end with it. */
export async function removeMachineNetwork(machine: Pick<MachinePlan, 'netns' | 'veth'>): Promise<void> {
  if ((await netnsList()).includes(machine.netns)) await ip(['netns', 'del', machine.netns]);
  await removeLink(machine.veth);
}

/** Partition = unplug the cable: the machine can reach nobody and nobody can reach it. */
export async function setPartitioned(machine: Pick<MachinePlan, 'veth'>, partitioned: boolean): Promise<void> {
  if (await linkExists(machine.veth)) await ip(['link', 'set', machine.veth, partitioned ? 'down' : 'up']);
}

/** Run a host program inside a machine's network namespace (e.g. etcdctl against its loopback). */
export function inNetns(netns: string, file: string, args: string[]): [string, string[]] {
  return ['ip', ['netns', 'exec', netns, file, ...args]];
}
