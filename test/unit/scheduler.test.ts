// The fleet scheduler (client/src/cluster/scheduler): table-driven cases — fleet's documented
// examples (Documentation/unit-files-and-scheduling.md), fleet's functional scheduling tests
// (functional/scheduling_test.go) and the reference scenario of the design — then properties
// over random clusters: no placement breaks a rule, input order never matters, a second run
// changes nothing, nothing stays unplaced while a machine could take it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { explain, placementViolations, schedule } from '../../client/src/cluster/scheduler';
import type { Eviction, FleetRequirements, MachineState, PlacementInput, ScheduledUnit, ScheduleResult } from '../../client/src/cluster/scheduler';

// ---- builders ----------------------------------------------------------------------------------

function req(o: Partial<FleetRequirements> = {}): FleetRequirements {
  return { machineOf: [], metadata: {}, conflicts: [], global: false, replaces: [], ...o };
}
function unit(name: string, o: Partial<FleetRequirements> = {}): ScheduledUnit {
  return { name, requirements: req(o) };
}
/** Machine `mN` is shown as `core-0N`. */
function machine(id: string, metadata: Record<string, string> = {}, alive = true, hostname?: string): MachineState {
  const n = /^m(\d+)$/.exec(id);
  const m: MachineState = { id, metadata, alive };
  const h = hostname ?? (n ? `core-${n[1].padStart(2, '0')}` : undefined);
  if (h !== undefined) m.hostname = h;
  return m;
}
const machines = (n: number, metadata: Record<string, string> = {}): MachineState[] => Array.from({ length: n }, (_, i) => machine(`m${i + 1}`, { ...metadata }));
const down = (m: MachineState): MachineState => ({ ...m, alive: false });

/** Normalizes an expected placement (a single id for a one-machine unit). */
function norm(p: Record<string, string | string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'string' ? [v] : v]));
}

function reversed<T>(xs: readonly T[]): T[] {
  return [...xs].reverse();
}

/** Checks that hold for every result: sound, order independent, stable under a second run. */
function invariants(units: ScheduledUnit[], ms: MachineState[], current: PlacementInput, r: ScheduleResult): void {
  assert.deepEqual(placementViolations(units, ms, r.placement), [], 'placement breaks a rule');
  assert.deepEqual(schedule(reversed(units), reversed(ms), current), r, 'result depends on input order');
  const again = schedule(units, ms, r.placement);
  assert.deepEqual(again.placement, r.placement, 'a second run moves units');
  assert.deepEqual(again.evicted, [], 'a second run evicts units');
  assert.deepEqual(again.unschedulable, r.unschedulable, 'a second run changes the reasons');
  for (const u of r.unschedulable) assert.ok(u.reasons.length > 0 && u.reasons.every((s) => s.length > 0), `${u.unit} has no reason`);
}

// ---- table ---------------------------------------------------------------------------------------

interface Case {
  name: string;
  units: ScheduledUnit[];
  machines: MachineState[];
  current?: PlacementInput;
  /** The whole expected placement. */
  placement?: Record<string, string | string[]>;
  /** Some expected placements. */
  placed?: Record<string, string | string[]>;
  /** Exactly these units are unschedulable; each pattern must match one of its reasons. Absent: none is. */
  unschedulable?: Record<string, Array<string | RegExp>>;
  /** Exactly these evictions (reason matched by pattern). Absent: none. */
  evicted?: Array<Omit<Eviction, 'reason'> & { reason: string | RegExp }>;
  check?: (r: ScheduleResult) => void;
}

// Machines as listed in fleet's documentation (`fleetctl list-machines`, MachineMetadata section).
const docMachines = [
  machine('282f949f', { diskType: 'SSD', region: 'us-east-1' }, true, '10.10.20.1'),
  machine('f139c5a6', { region: 'us-east-1' }, true, '10.10.20.2'),
  machine('fd1d3e94', { diskType: 'SSD', region: 'us-west-1' }, true, '10.0.0.1'),
];

const LONG_A = 'aaaaaaaa0000000000000000000000a1';
const LONG_B = 'bbbbbbbb0000000000000000000000b2';

const cases: Case[] = [
  // ---- basics and least-loaded choice
  { name: 'no units: empty placement', units: [], machines: machines(2), placement: {} },
  { name: 'no machines: the unit is unschedulable', units: [unit('a.service')], machines: [], placement: {}, unschedulable: { 'a.service': [/^the cluster has no machines$/] } },
  {
    name: 'every machine down: no machine is up',
    units: [unit('a.service')],
    machines: machines(2).map(down),
    placement: {},
    unschedulable: { 'a.service': ['no machine is up (core-01 and core-02 are down)'] },
  },
  {
    name: 'least loaded: three plain units spread over three machines, by name and id',
    units: [unit('c.service'), unit('a.service'), unit('b.service')],
    machines: machines(3),
    placement: { 'a.service': 'm1', 'b.service': 'm2', 'c.service': 'm3' },
  },
  { name: 'tie break: lowest machine id whatever the input order', units: [unit('x.service')], machines: [machine('m3'), machine('m1'), machine('m2')], placement: { 'x.service': 'm1' } },
  {
    name: 'load counts the units already placed',
    units: [unit('a.service'), unit('b.service'), unit('c.service')],
    machines: machines(2),
    current: { 'a.service': 'm1', 'b.service': ['m1'] },
    placement: { 'a.service': 'm1', 'b.service': 'm1', 'c.service': 'm2' },
  },
  {
    name: 'load counts global units too (engine/state.go agents)',
    units: [unit('g.service', { global: true, metadata: { role: ['web'] } }), unit('x.service')],
    machines: [machine('m1', { role: 'web' }), machine('m2', { role: 'db' })],
    placement: { 'g.service': 'm1', 'x.service': 'm2' },
  },
  {
    name: 'stability: an unbalanced placement is not rebalanced',
    units: [unit('a.service'), unit('b.service'), unit('c.service')],
    machines: machines(2),
    current: { 'a.service': 'm1', 'b.service': 'm1', 'c.service': 'm1' },
    placement: { 'a.service': 'm1', 'b.service': 'm1', 'c.service': 'm1' },
  },
  {
    name: 'units on a dead machine move to the least-loaded survivor',
    units: [unit('a.service'), unit('b.service')],
    machines: [down(machine('m1')), machine('m2'), machine('m3')],
    current: { 'a.service': 'm1', 'b.service': 'm2' },
    placement: { 'a.service': 'm3', 'b.service': 'm2' },
    evicted: [{ unit: 'a.service', from: 'm1', to: 'm3', reason: 'core-01 is down' }],
  },
  {
    name: 'a unit on a machine that left the cluster is placed again',
    units: [unit('a.service')],
    machines: machines(1),
    current: { 'a.service': 'gone' },
    placement: { 'a.service': 'm1' },
    evicted: [{ unit: 'a.service', from: 'gone', to: 'm1', reason: 'machine gone is no longer in the cluster' }],
  },
  {
    name: 'two copies of a non-global unit: the one on the lowest id stays, the other stops',
    units: [unit('a.service')],
    machines: machines(2),
    current: { 'a.service': ['m2', 'm1'] },
    placement: { 'a.service': 'm1' },
    evicted: [{ unit: 'a.service', from: 'm2', to: 'm1', reason: 'another copy of it stays on core-01' }],
  },

  // ---- MachineID
  {
    name: 'MachineID pins a unit even to a busier machine; pinned units go first',
    units: [unit('b.service'), unit('c.service'), unit('a.service', { machineId: 'm2' })],
    machines: machines(2),
    placement: { 'a.service': 'm2', 'b.service': 'm1', 'c.service': 'm1' },
  },
  {
    name: 'MachineID to a dead machine: unschedulable',
    units: [unit('a.service', { machineId: 'm3' })],
    machines: [machine('m1'), machine('m2'), down(machine('m3'))],
    placement: {},
    unschedulable: { 'a.service': ['MachineID pins it to core-03 (m3), which is down'] },
  },
  {
    name: 'MachineID to an unknown machine: unschedulable',
    units: [unit('a.service', { machineId: 'nope' })],
    machines: machines(2),
    placement: {},
    unschedulable: { 'a.service': ['MachineID pins it to nope, which is not a machine of the cluster'] },
  },
  {
    name: "MachineID matches the 8-character short id too (machine/state.go MatchID)",
    units: [unit('a.service', { machineId: 'bbbbbbbb' })],
    machines: [machine(LONG_A), machine(LONG_B)],
    placement: { 'a.service': LONG_B },
  },
  {
    name: 'MachineID changed: the unit moves to its new machine',
    units: [unit('a.service', { machineId: 'm2' })],
    machines: machines(2),
    current: { 'a.service': 'm1' },
    placement: { 'a.service': 'm2' },
    evicted: [{ unit: 'a.service', from: 'm1', to: 'm2', reason: 'MachineID pins it to m2, not core-01' }],
  },

  // ---- MachineMetadata
  {
    name: 'MachineMetadata: only machines with the value qualify',
    units: [unit('d.service', { metadata: { role: ['db'] } })],
    machines: [machine('m1', { role: 'web' }), machine('m2', { role: 'db' }), machine('m3', { role: 'web' })],
    placement: { 'd.service': 'm2' },
  },
  {
    name: 'doc: "region=us-east-1" "diskType=SSD" is an AND',
    units: [unit('app.service', { metadata: { region: ['us-east-1'], diskType: ['SSD'] } })],
    machines: docMachines,
    placement: { 'app.service': '282f949f' },
  },
  {
    name: 'doc: repeated MachineMetadata lines for one key are an OR',
    units: ['a', 'b', 'c'].map((n) => unit(`${n}.service`, { metadata: { region: ['us-east-1', 'us-west-1'] } })),
    machines: docMachines,
    placement: { 'a.service': '282f949f', 'b.service': 'f139c5a6', 'c.service': 'fd1d3e94' },
  },
  {
    name: 'doc: diskType=SSD AND (region=us-east-1 OR region=us-west-1) schedules one unit',
    units: [unit('app.service', { metadata: { region: ['us-east-1', 'us-west-1'], diskType: ['SSD'] } })],
    machines: docMachines,
    placement: { 'app.service': '282f949f' },
  },
  {
    name: 'doc: the same with Global=true runs on 282f949f and fd1d3e94',
    units: [unit('app.service', { global: true, metadata: { region: ['us-east-1', 'us-west-1'], diskType: ['SSD'] } })],
    machines: docMachines,
    placement: { 'app.service': ['282f949f', 'fd1d3e94'] },
  },
  {
    name: 'doc: (job=foo OR job=bar) AND (region=us-east-1 OR region=us-west-1)',
    units: [unit('app.service', { global: true, metadata: { region: ['us-east-1', 'us-west-1'], job: ['foo', 'bar'] } })],
    machines: [
      machine('m1', { job: 'foo', region: 'us-east-1' }),
      machine('m2', { job: 'bar', region: 'us-west-1' }),
      machine('m3', { job: 'baz', region: 'us-east-1' }),
      machine('m4', { job: 'foo', region: 'eu-west-1' }),
    ],
    placement: { 'app.service': ['m1', 'm2'] },
  },
  {
    name: 'no machine has the metadata: the reason lists the machines',
    units: [unit('d.service', { metadata: { role: ['db'] } })],
    machines: [machine('m1', { role: 'web' }), machine('m2', {}), machine('m3', { zone: 'a' })],
    placement: {},
    unschedulable: { 'd.service': ['no machine has role=db (machines: core-01 role=web, core-02 no metadata and core-03 no role)'] },
  },
  {
    name: 'metadata reason with AND and OR',
    units: [unit('d.service', { metadata: { role: ['db', 'cache'], disk: ['ssd'] } })],
    machines: [machine('m1', { role: 'db', disk: 'hdd' })],
    placement: {},
    unschedulable: { 'd.service': ['no machine has disk=ssd and (role=db or role=cache) (machines: core-01 disk=hdd role=db)'] },
  },
  {
    name: 'a machine that lost the metadata gives the unit up',
    units: [unit('d.service', { metadata: { role: ['db'] } })],
    machines: [machine('m1', { role: 'web' }), machine('m2', { role: 'db' })],
    current: { 'd.service': 'm1' },
    placement: { 'd.service': 'm2' },
    evicted: [{ unit: 'd.service', from: 'm1', to: 'm2', reason: 'core-01 has role=web, it needs role=db' }],
  },

  // ---- Conflicts
  {
    name: 'fleet TestScheduleConflicts: five conflict* units on three machines, three run',
    units: [0, 1, 2, 3, 4].map((i) => unit(`conflict.${i}.service`, { conflicts: ['conflict*'] })),
    machines: machines(3),
    placement: { 'conflict.0.service': 'm1', 'conflict.1.service': 'm2', 'conflict.2.service': 'm3' },
    unschedulable: {
      'conflict.3.service': ['conflicts with conflict.0.service on core-01, conflict.1.service on core-02 and conflict.2.service on core-03'],
      'conflict.4.service': [/conflicts with conflict\.0\.service on core-01/],
    },
  },
  {
    name: 'fleet TestScheduleOneWayConflict: another unit\'s Conflicts keeps a unit without Conflicts away',
    units: [unit('conflicts-with-hello.service', { conflicts: ['hello.service'] }), unit('hello.service')],
    machines: machines(1),
    current: { 'conflicts-with-hello.service': 'm1' },
    placement: { 'conflicts-with-hello.service': 'm1' },
    unschedulable: { 'hello.service': ['conflicts with conflicts-with-hello.service on core-01'] },
  },
  {
    name: 'Conflicts applies the other way too: a new unit avoids a less-loaded machine with a match',
    units: [unit('hello.service'), unit('a.service'), unit('b.service'), unit('x.service', { conflicts: ['hello*'] })],
    machines: machines(2),
    current: { 'hello.service': 'm1', 'a.service': 'm2', 'b.service': 'm2' },
    placement: { 'hello.service': 'm1', 'a.service': 'm2', 'b.service': 'm2', 'x.service': 'm2' },
  },
  {
    name: 'glob ?: one character (web?.service matches web2 not web10)',
    units: [unit('web1.service', { conflicts: ['web?.service'] }), unit('web2.service'), unit('web10.service')],
    machines: machines(1),
    placement: { 'web1.service': 'm1', 'web10.service': 'm1' },
    unschedulable: { 'web2.service': ['conflicts with web1.service on core-01'] },
  },
  {
    name: 'glob [abc]: a character class',
    units: [unit('db-a.service', { conflicts: ['db-[bc].service'] }), unit('db-b.service'), unit('db-d.service')],
    machines: machines(1),
    placement: { 'db-a.service': 'm1', 'db-d.service': 'm1' },
    unschedulable: { 'db-b.service': ['conflicts with db-a.service on core-01'] },
  },
  {
    name: 'glob [^0-4]: a negated range',
    units: [unit('x.service', { conflicts: ['node-[^0-4].service'] }), unit('node-3.service'), unit('node-7.service')],
    machines: machines(1),
    current: { 'x.service': 'm1' },
    placement: { 'x.service': 'm1', 'node-3.service': 'm1' },
    unschedulable: { 'node-7.service': ['conflicts with x.service on core-01'] },
  },
  {
    name: 'Conflicts values are split on whitespace (job.go splitCombine)',
    units: [unit('a.service', { conflicts: ['b.service   c.service'] }), unit('b.service'), unit('c.service'), unit('d.service')],
    machines: machines(1),
    current: { 'a.service': 'm1' },
    placement: { 'a.service': 'm1', 'd.service': 'm1' },
    unschedulable: { 'b.service': [/conflicts with a\.service/], 'c.service': [/conflicts with a\.service/] },
  },
  {
    name: 'a unit never conflicts with itself',
    units: [unit('x@1.service', { conflicts: ['x@*'] })],
    machines: machines(1),
    placement: { 'x@1.service': 'm1' },
  },
  {
    name: 'a malformed glob matches nothing (fleet logs and moves on)',
    units: [unit('a.service', { conflicts: ['['] }), unit('b.service')],
    machines: machines(1),
    placement: { 'a.service': 'm1', 'b.service': 'm1' },
  },
  {
    name: 'two placed units that now conflict: the first by name stays, the other moves',
    units: [unit('a.service'), unit('b.service', { conflicts: ['a.service'] })],
    machines: machines(2),
    current: { 'a.service': 'm1', 'b.service': 'm1' },
    placement: { 'a.service': 'm1', 'b.service': 'm2' },
    evicted: [{ unit: 'b.service', from: 'm1', to: 'm2', reason: 'conflicts with a.service on core-01' }],
  },
  {
    name: 'most constrained first: the db unit gets the db machine before a conflicting plain unit',
    units: [unit('a.service', { conflicts: ['b.service'] }), unit('b.service', { metadata: { role: ['db'] } })],
    machines: [machine('m1', { role: 'db' }), machine('m2', { role: 'web' })],
    placement: { 'a.service': 'm2', 'b.service': 'm1' },
  },

  // ---- MachineOf
  {
    name: 'fleet TestScheduleMachineOf: three ping/pong pairs, each pair together',
    units: [0, 1, 2].flatMap((i) => [unit(`ping.${i}.service`), unit(`pong.${i}.service`, { machineOf: [`ping.${i}.service`] })]),
    machines: machines(3),
    placement: { 'ping.0.service': 'm1', 'pong.0.service': 'm1', 'ping.1.service': 'm2', 'pong.1.service': 'm2', 'ping.2.service': 'm3', 'pong.2.service': 'm3' },
  },
  {
    name: 'fleet TestScheduleMachineOf: a pair migrates together when its machine goes down',
    units: [0, 1, 2].flatMap((i) => [unit(`ping.${i}.service`), unit(`pong.${i}.service`, { machineOf: [`ping.${i}.service`] })]),
    machines: [machine('m1'), down(machine('m2')), machine('m3')],
    current: { 'ping.0.service': 'm1', 'pong.0.service': 'm1', 'ping.1.service': 'm2', 'pong.1.service': 'm2', 'ping.2.service': 'm3', 'pong.2.service': 'm3' },
    placed: { 'ping.1.service': 'm1', 'pong.1.service': 'm1' },
    evicted: [
      { unit: 'ping.1.service', from: 'm2', to: 'm1', reason: 'core-02 is down' },
      { unit: 'pong.1.service', from: 'm2', to: 'm1', reason: 'core-02 is down' },
    ],
  },
  {
    name: 'MachineOf chain A → B → C lands on one machine',
    units: [unit('c.service', { machineOf: ['b.service'] }), unit('b.service', { machineOf: ['a.service'] }), unit('a.service'), unit('x.service')],
    machines: machines(2),
    placement: { 'a.service': 'm1', 'b.service': 'm1', 'c.service': 'm1', 'x.service': 'm2' },
  },
  {
    name: 'mutual MachineOf: both unschedulable, no endless loop',
    units: [unit('a.service', { machineOf: ['b.service'] }), unit('b.service', { machineOf: ['a.service'] })],
    machines: machines(2),
    placement: {},
    unschedulable: {
      'a.service': ['MachineOf forms a cycle between a.service and b.service; fleet cannot place units that follow each other'],
      'b.service': [/cycle between a\.service and b\.service/],
    },
  },
  {
    name: 'a three-unit MachineOf cycle, and a follower of it',
    units: [unit('a.service', { machineOf: ['b.service'] }), unit('b.service', { machineOf: ['c.service'] }), unit('c.service', { machineOf: ['a.service'] }), unit('d.service', { machineOf: ['a.service'] })],
    machines: machines(2),
    placement: {},
    unschedulable: {
      'a.service': [/cycle between a\.service, b\.service and c\.service/],
      'b.service': [/cycle/],
      'c.service': [/cycle/],
      'd.service': ['MachineOf target a.service is not scheduled'],
    },
  },
  {
    name: 'MachineOf naming the unit itself',
    units: [unit('a.service', { machineOf: ['a.service'] })],
    machines: machines(1),
    placement: {},
    unschedulable: { 'a.service': ['MachineOf names the unit itself, so it can never be placed'] },
  },
  {
    name: 'doc: a MachineOf target not found in the system makes the follower unschedulable',
    units: [unit('helloworld-sidekick@4.service', { machineOf: ['helloworld@4.service'] })],
    machines: machines(1),
    placement: {},
    unschedulable: { 'helloworld-sidekick@4.service': ['MachineOf target helloworld@4.service is not among the units to schedule'] },
  },
  {
    name: 'a target that cannot be placed takes its follower down with it',
    units: [unit('t.service', { machineId: 'm9' }), unit('f.service', { machineOf: ['t.service'] })],
    machines: machines(2),
    placement: {},
    unschedulable: { 't.service': [/not a machine of the cluster/], 'f.service': ['MachineOf target t.service is not scheduled'] },
  },
  {
    name: 'doc %p.socket: a service follows its socket',
    units: [unit('foo.socket'), unit('foo.service', { machineOf: ['foo.socket'] }), unit('bar.socket'), unit('bar.service', { machineOf: ['bar.socket'] })],
    machines: machines(2),
    placement: { 'bar.socket': 'm1', 'bar.service': 'm1', 'foo.socket': 'm2', 'foo.service': 'm2' },
  },
  {
    name: "a group goes where every member fits (the follower's metadata counts)",
    units: [unit('t.service'), unit('f.service', { machineOf: ['t.service'], metadata: { role: ['db'] } })],
    machines: [machine('m1', { role: 'web' }), machine('m2', { role: 'db' })],
    placement: { 't.service': 'm2', 'f.service': 'm2' },
  },
  {
    name: "a follower that cannot run on its target's machine: the target still runs",
    units: [unit('t.service', { machineId: 'm1' }), unit('f.service', { machineOf: ['t.service'], metadata: { role: ['db'] } })],
    machines: [machine('m1', { role: 'web' }), machine('m2', { role: 'db' })],
    placement: { 't.service': 'm1' },
    unschedulable: { 'f.service': ['its MachineOf target t.service runs on core-01', 'core-01 (role=web) does not have role=db'] },
  },
  {
    name: 'a follower of a global unit goes where the global unit runs',
    units: [unit('g.service', { global: true, metadata: { role: ['web'] } }), unit('f.service', { machineOf: ['g.service'] })],
    machines: [machine('m1', { role: 'db' }), machine('m2', { role: 'web' }), machine('m3', { role: 'web' })],
    placement: { 'g.service': ['m2', 'm3'], 'f.service': 'm2' },
  },
  {
    name: 'a follower of two targets on different machines',
    units: [unit('a.service', { machineId: 'm1' }), unit('b.service', { machineId: 'm2' }), unit('f.service', { machineOf: ['a.service', 'b.service'] })],
    machines: machines(2),
    placement: { 'a.service': 'm1', 'b.service': 'm2' },
    unschedulable: { 'f.service': ['its MachineOf targets a.service (on core-01), b.service (on core-02) do not run on a common machine'] },
  },
  {
    name: 'followers move with a target that has to leave its machine',
    units: [unit('a.service'), unit('s.service', { machineOf: ['z.service'] }), unit('z.service', { conflicts: ['a.service'] })],
    machines: machines(2),
    current: { 'a.service': 'm1', 's.service': 'm1', 'z.service': 'm1' },
    placement: { 'a.service': 'm1', 's.service': 'm2', 'z.service': 'm2' },
    evicted: [
      { unit: 's.service', from: 'm1', to: 'm2', reason: 'its MachineOf target z.service is not on core-01' },
      { unit: 'z.service', from: 'm1', to: 'm2', reason: 'conflicts with a.service on core-01' },
    ],
  },

  // ---- Global
  {
    name: 'Global runs on every alive machine',
    units: [unit('g.service', { global: true })],
    machines: [machine('m1'), machine('m2'), down(machine('m3'))],
    placement: { 'g.service': ['m1', 'm2'] },
  },
  {
    name: 'fleet TestScheduleGlobalUnits: two units then a global one, 2 + 3',
    units: [unit('hello.service'), unit('goodbye.service'), unit('global.service', { global: true })],
    machines: machines(3),
    current: { 'hello.service': 'm1', 'goodbye.service': 'm2' },
    placement: { 'hello.service': 'm1', 'goodbye.service': 'm2', 'global.service': ['m1', 'm2', 'm3'] },
  },
  {
    name: 'Global with Conflicts skips machines running a conflicting unit',
    units: [unit('a.service'), unit('g.service', { global: true, conflicts: ['a.service'] })],
    machines: machines(3),
    current: { 'a.service': 'm1' },
    placement: { 'a.service': 'm1', 'g.service': ['m2', 'm3'] },
  },
  {
    name: 'a new unit cannot go where a conflicting global unit runs',
    units: [unit('g.service', { global: true, conflicts: ['x*'] }), unit('x.service')],
    machines: machines(2),
    placement: { 'g.service': ['m1', 'm2'] },
    unschedulable: { 'x.service': ['conflicts with g.service on core-01 and g.service on core-02'] },
  },
  {
    name: 'fleet conflict-global fixture: global units that conflict with each other',
    units: [unit('conflict-global.1.service', { global: true, conflicts: ['conflict-global.*.service'] }), unit('conflict-global.2.service', { global: true, conflicts: ['conflict-global.*.service'] })],
    machines: machines(2),
    current: { 'conflict-global.2.service': ['m1'] },
    placement: { 'conflict-global.1.service': ['m2'], 'conflict-global.2.service': ['m1'] },
  },
  {
    name: 'a global unit that fits no machine is unschedulable',
    units: [unit('g.service', { global: true, metadata: { role: ['gpu'] } })],
    machines: [machine('m1', { role: 'web' })],
    placement: {},
    unschedulable: { 'g.service': ['no machine has role=gpu (machines: core-01 role=web)'] },
  },
  {
    name: 'Global ignores MachineID, MachineOf and Replaces (fleet checks only metadata and conflicts)',
    units: [unit('g.service', { global: true, machineId: 'm2', machineOf: ['nothing.service'], replaces: ['a.service'] }), unit('a.service')],
    machines: machines(2),
    placement: { 'g.service': ['m1', 'm2'], 'a.service': 'm1' },
  },

  // ---- Replaces
  {
    name: 'fleet TestScheduleReplace: the replacing unit runs on another machine',
    units: [unit('replace.0.service'), unit('replace.1.service', { replaces: ['replace.0.service'] })],
    machines: machines(2),
    current: { 'replace.0.service': 'm1' },
    placement: { 'replace.0.service': 'm1', 'replace.1.service': 'm2' },
  },
  {
    name: 'Replaces: a unit that must run on the replaced unit\'s machine displaces it',
    units: [unit('v.service'), unit('r.service', { replaces: ['v.service'], metadata: { role: ['db'] } })],
    machines: [machine('m1', { role: 'db' }), machine('m2', { role: 'web' })],
    current: { 'v.service': 'm1' },
    placement: { 'r.service': 'm1', 'v.service': 'm2' },
    evicted: [{ unit: 'v.service', from: 'm1', to: 'm2', reason: 'replaced by r.service (Replaces=)' }],
  },
  {
    name: 'Replaces: a displaced unit with nowhere to go is unschedulable',
    units: [unit('v.service'), unit('r.service', { replaces: ['v.service'] })],
    machines: machines(1),
    current: { 'v.service': 'm1' },
    placement: { 'r.service': 'm1' },
    unschedulable: { 'v.service': ['replaced by r.service on core-01 (Replaces=)'] },
    evicted: [{ unit: 'v.service', from: 'm1', reason: 'replaced by r.service (Replaces=)' }],
  },
  {
    name: "Replaces: the displaced unit's sidekick moves with it",
    units: [unit('v.service'), unit('vs.service', { machineOf: ['v.service'] }), unit('r.service', { replaces: ['v.service'], metadata: { role: ['db'] } })],
    machines: [machine('m1', { role: 'db' }), machine('m2', { role: 'web' })],
    current: { 'v.service': 'm1', 'vs.service': 'm1' },
    placement: { 'r.service': 'm1', 'v.service': 'm2', 'vs.service': 'm2' },
    evicted: [
      { unit: 'v.service', from: 'm1', to: 'm2', reason: 'replaced by r.service (Replaces=)' },
      { unit: 'vs.service', from: 'm1', to: 'm2', reason: 'it follows v.service (MachineOf), which had to leave core-01' },
    ],
  },
  {
    name: 'Replaces: both already on one machine, the replaced one leaves',
    units: [unit('r.service', { replaces: ['v.service'] }), unit('v.service')],
    machines: machines(2),
    current: { 'r.service': 'm1', 'v.service': 'm1' },
    placement: { 'r.service': 'm1', 'v.service': 'm2' },
    evicted: [{ unit: 'v.service', from: 'm1', to: 'm2', reason: 'replaced by r.service (Replaces=)' }],
  },
  {
    name: 'Replaces: two units replacing each other ignore it (agent/state.go hasReplace)',
    units: [unit('a.service', { replaces: ['b.service'] }), unit('b.service', { replaces: ['a.service'] })],
    machines: machines(1),
    placement: { 'a.service': 'm1', 'b.service': 'm1' },
  },
  {
    name: 'Replaces chain: A displaces B, B displaces C, C takes the free slot',
    units: [unit('a.service', { replaces: ['b.service'], metadata: { role: ['x'] } }), unit('b.service', { replaces: ['c.service'] }), unit('c.service')],
    machines: [machine('m1', { role: 'x' }), machine('m2', { role: 'y' })],
    current: { 'b.service': 'm1', 'c.service': 'm2' },
    placement: { 'a.service': 'm1', 'b.service': 'm2', 'c.service': 'm1' },
    evicted: [
      { unit: 'b.service', from: 'm1', to: 'm2', reason: 'replaced by a.service (Replaces=)' },
      { unit: 'c.service', from: 'm2', to: 'm1', reason: 'replaced by b.service (Replaces=)' },
    ],
  },
  {
    name: 'Replaces takes a glob',
    units: [unit('old@1.service'), unit('old@2.service'), unit('new.service', { replaces: ['old@*.service'], metadata: { role: ['db'] } })],
    machines: [machine('m1', { role: 'db' }), machine('m2', { role: 'web' })],
    current: { 'old@1.service': 'm1', 'old@2.service': 'm1' },
    placement: { 'new.service': 'm1', 'old@1.service': 'm2', 'old@2.service': 'm2' },
    evicted: [
      { unit: 'old@1.service', from: 'm1', to: 'm2', reason: 'replaced by new.service (Replaces=)' },
      { unit: 'old@2.service', from: 'm1', to: 'm2', reason: 'replaced by new.service (Replaces=)' },
    ],
  },
  {
    name: 'a unit is not placed where a unit that replaces it runs',
    units: [unit('r.service', { replaces: ['v.service'] }), unit('v.service'), unit('a.service'), unit('b.service')],
    machines: machines(2),
    current: { 'r.service': 'm1', 'a.service': 'm2', 'b.service': 'm2' },
    placement: { 'r.service': 'm1', 'a.service': 'm2', 'b.service': 'm2', 'v.service': 'm2' },
  },
];

function matches(text: string, pattern: string | RegExp): boolean {
  return typeof pattern === 'string' ? text === pattern : pattern.test(text);
}

describe('schedule: cases', () => {
  for (const c of cases) {
    test(c.name, () => {
      const current = c.current ?? {};
      const r = schedule(c.units, c.machines, current);
      if (c.placement) assert.deepEqual(r.placement, norm(c.placement));
      if (c.placed) for (const [u, m] of Object.entries(norm(c.placed))) assert.deepEqual(r.placement[u], m, u);
      const expected = c.unschedulable ?? {};
      assert.deepEqual(
        r.unschedulable.map((u) => u.unit),
        Object.keys(expected).sort(),
        `unschedulable: ${JSON.stringify(r.unschedulable)}`,
      );
      for (const u of r.unschedulable) {
        for (const p of expected[u.unit]) assert.ok(u.reasons.some((s) => matches(s, p)), `${u.unit}: ${JSON.stringify(u.reasons)} lacks ${String(p)}`);
      }
      const ev = c.evicted ?? [];
      assert.equal(r.evicted.length, ev.length, `evicted: ${JSON.stringify(r.evicted)}`);
      ev.forEach((e, i) => {
        const got = r.evicted[i];
        assert.deepEqual({ unit: got.unit, from: got.from, to: got.to }, { unit: e.unit, from: e.from, to: e.to }, JSON.stringify(got));
        assert.ok(matches(got.reason, e.reason), `${got.reason} vs ${String(e.reason)}`);
      });
      c.check?.(r);
      invariants(c.units, c.machines, current, r);
    });
  }
});

// ---- the reference scenario of the design -----------------------------------------------------

describe('schedule: the helloworld reference scenario', () => {
  const instance = (i: number) => unit(`helloworld@${i}.service`, { conflicts: ['helloworld@*'] });
  const sidekick = (i: number) => unit(`helloworld-sidekick@${i}.service`, { machineOf: [`helloworld@${i}.service`] });
  const stack = (n: number) => [
    ...Array.from({ length: n }, (_, i) => [instance(i + 1), sidekick(i + 1)]).flat(),
    unit('helloworld-nginx.service'),
    unit('helloworld-nginx-sidekick.service', { machineOf: ['helloworld-nginx.service'] }),
  ];
  const cluster = machines(3, { role: 'web' });
  const where = (r: ScheduleResult, u: string) => r.placement[u]?.[0];

  test('one instance per machine, each sidekick with its instance', () => {
    const units = stack(3);
    const r = schedule(units, cluster, {});
    assert.deepEqual(r.unschedulable, []);
    const hosts = [1, 2, 3].map((i) => where(r, `helloworld@${i}.service`));
    assert.equal(new Set(hosts).size, 3);
    for (const i of [1, 2, 3]) assert.equal(where(r, `helloworld-sidekick@${i}.service`), where(r, `helloworld@${i}.service`));
    assert.equal(where(r, 'helloworld-nginx-sidekick.service'), where(r, 'helloworld-nginx.service'));
    invariants(units, cluster, {}, r);
  });

  test('a fourth instance is unschedulable, and says why; its sidekick too', () => {
    const units = stack(4);
    const r = schedule(units, cluster, {});
    assert.deepEqual(
      r.unschedulable.map((u) => u.unit),
      ['helloworld-sidekick@4.service', 'helloworld@4.service'],
    );
    const [side, inst] = r.unschedulable;
    assert.deepEqual(side.reasons, ['MachineOf target helloworld@4.service is not scheduled']);
    assert.equal(inst.reasons.length, 1);
    assert.match(inst.reasons[0], /^conflicts with helloworld@\d\.service on core-01, helloworld@\d\.service on core-02 and helloworld@\d\.service on core-03$/);
  });

  test('power off the nginx machine: nginx moves, the lost instance waits, then the machine returns and nothing moves needlessly', () => {
    const units = stack(3);
    const r1 = schedule(units, cluster, {});
    const nginxHost = where(r1, 'helloworld-nginx.service')!;
    const lost = [1, 2, 3].find((i) => where(r1, `helloworld@${i}.service`) === nginxHost)!;
    const broken = cluster.map((m) => (m.id === nginxHost ? down(m) : m));

    const r2 = schedule(units, broken, r1.placement);
    assert.notEqual(where(r2, 'helloworld-nginx.service'), nginxHost);
    assert.equal(where(r2, 'helloworld-nginx-sidekick.service'), where(r2, 'helloworld-nginx.service'));
    assert.deepEqual(
      r2.unschedulable.map((u) => u.unit),
      [`helloworld-sidekick@${lost}.service`, `helloworld@${lost}.service`],
    );
    const label = cluster.find((m) => m.id === nginxHost)!.hostname!;
    assert.ok(r2.unschedulable[1].reasons.includes(`${label} is down`), JSON.stringify(r2.unschedulable[1]));
    assert.ok(r2.unschedulable[1].reasons.some((s) => s.startsWith('conflicts with helloworld@')));
    assert.deepEqual(
      r2.evicted.map((e) => [e.unit, e.reason]),
      [
        ['helloworld-nginx-sidekick.service', `${label} is down`],
        ['helloworld-nginx.service', `${label} is down`],
        [`helloworld-sidekick@${lost}.service`, `${label} is down`],
        [`helloworld@${lost}.service`, `${label} is down`],
      ],
    );
    // Units on surviving machines stayed.
    for (const [u, m] of Object.entries(r1.placement)) if (m[0] !== nginxHost) assert.deepEqual(r2.placement[u], m, u);
    invariants(units, broken, r1.placement, r2);

    const r3 = schedule(units, cluster, r2.placement);
    for (const [u, m] of Object.entries(r2.placement)) assert.deepEqual(r3.placement[u], m, `${u} moved after the machine returned`);
    assert.equal(where(r3, `helloworld@${lost}.service`), nginxHost, 'the instance spreads out again');
    assert.equal(where(r3, `helloworld-sidekick@${lost}.service`), nginxHost);
    assert.deepEqual(r3.unschedulable, []);
    assert.deepEqual(r3.evicted, []);
  });

  test('a stale copy on the returning machine is stopped (never two running): the copy its sidekick shares stays', () => {
    const units = stack(3);
    const r1 = schedule(units, cluster, {});
    const host = where(r1, 'helloworld-nginx.service')!;
    const r2 = schedule(units, cluster.map((m) => (m.id === host ? down(m) : m)), r1.placement);
    // The machine comes back still running its old copy of nginx: both copies appear in `current`.
    const current: Record<string, string[]> = { ...r2.placement, 'helloworld-nginx.service': [...r2.placement['helloworld-nginx.service'], host] };
    const r3 = schedule(units, cluster, current);
    assert.deepEqual(r3.placement['helloworld-nginx.service'], r2.placement['helloworld-nginx.service']);
    assert.equal(r3.placement['helloworld-nginx.service'][0], where(r3, 'helloworld-nginx-sidekick.service'));
    assert.equal(r3.evicted.length, 1);
  });
});

// ---- explain and the checker -------------------------------------------------------------------

describe('explain and placementViolations', () => {
  const units = [1, 2, 3, 4].map((i) => unit(`helloworld@${i}.service`, { conflicts: ['helloworld@*'] }));
  const cluster = [...machines(3), down(machine('m4'))];
  const placement = { 'helloworld@1.service': ['m1'], 'helloworld@2.service': ['m2'], 'helloworld@3.service': ['m3'] };

  test('explain: per-machine reasons for an unplaced unit', () => {
    const e = explain('helloworld@4.service', units, cluster, placement);
    assert.deepEqual(e.placedOn, []);
    assert.deepEqual(
      e.machines.map((m) => [m.machine, m.hostname, m.fits, m.reasons]),
      [
        ['m1', 'core-01', false, ['conflicts with helloworld@1.service on core-01']],
        ['m2', 'core-02', false, ['conflicts with helloworld@2.service on core-02']],
        ['m3', 'core-03', false, ['conflicts with helloworld@3.service on core-03']],
        ['m4', 'core-04', false, ['core-04 is down']],
      ],
    );
    assert.deepEqual(e.reasons, ['core-04 is down', 'conflicts with helloworld@1.service on core-01, helloworld@2.service on core-02 and helloworld@3.service on core-03']);
  });

  test('explain: a placed unit, and an unknown one', () => {
    const e = explain('helloworld@1.service', units, cluster, placement);
    assert.deepEqual(e.placedOn, ['m1']);
    assert.deepEqual(e.reasons, []);
    assert.equal(e.machines.find((m) => m.machine === 'm1')!.fits, true);
    assert.deepEqual(explain('nope.service', units, cluster, placement).reasons, ['nope.service is not among the units to schedule']);
  });

  test('placementViolations reports every broken rule', () => {
    const us = [
      unit('a.service', { conflicts: ['b.service'] }),
      unit('b.service'),
      unit('c.service', { machineId: 'm2' }),
      unit('d.service', { metadata: { role: ['db'] } }),
      unit('e.service', { machineOf: ['a.service'] }),
      unit('r.service', { replaces: ['b.service'] }),
    ];
    const ms = [machine('m1'), machine('m2'), down(machine('m3'))];
    const v = placementViolations(us, ms, { 'a.service': 'm1', 'b.service': 'm1', 'c.service': 'm1', 'd.service': 'm3', 'e.service': 'm2', 'r.service': 'm1', 'z.service': 'm1' });
    assert.deepEqual(v, [
      'a.service and b.service conflict but share m1',
      'c.service is on m1 but MachineID is m2',
      'd.service is on m3, which is down',
      'd.service is on m3, which lacks its metadata',
      'e.service is on m2 but its MachineOf target a.service is not',
      'r.service replaces b.service but they share m1',
      'z.service is placed but is not among the units',
    ]);
  });

  test('duplicate unit or machine names are refused', () => {
    assert.throws(() => schedule([unit('a.service'), unit('a.service')], machines(1)), /a\.service is listed twice/);
    assert.throws(() => schedule([unit('a.service')], [machine('m1'), machine('m1')]), /m1 is listed twice/);
  });
});

// ---- properties ----------------------------------------------------------------------------------

const NAMES = ['a@1.service', 'a@2.service', 'a@3.service', 'b@1.service', 'b@2.service', 'c.service', 'd.service', 'e.socket', 'side@1.service', 'side@2.service'];
const IDS = ['m1', 'm2', 'm3', 'm4', 'm5'];

const arbRequirements = fc.record({
  machineId: fc.option(fc.constantFrom('m1', 'm3', 'm9'), { nil: undefined, freq: 6 }),
  machineOf: fc.oneof({ weight: 4, arbitrary: fc.constant([] as string[]) }, { weight: 2, arbitrary: fc.subarray([...NAMES, 'missing.service'], { maxLength: 2 }) }),
  metadata: fc.oneof(
    { weight: 3, arbitrary: fc.constant({} as Record<string, string[]>) },
    { weight: 1, arbitrary: fc.record({ role: fc.subarray(['web', 'db', 'cache'], { minLength: 1 }) }) },
    { weight: 1, arbitrary: fc.record({ role: fc.subarray(['web', 'db'], { minLength: 1 }), zone: fc.subarray(['a', 'b'], { minLength: 1 }) }) },
  ),
  conflicts: fc.subarray(['a@*', 'b@?.service', 'c.service d.service', '[ab]@1.service', 'side@*', '*.socket', '['], { maxLength: 2 }),
  global: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  replaces: fc.subarray(['c.service', 'a@*', 'd.service'], { maxLength: 1 }),
}).map((r) => {
  const out: FleetRequirements = { machineOf: r.machineOf, metadata: r.metadata, conflicts: r.conflicts, global: r.global, replaces: r.replaces };
  if (r.machineId !== undefined) out.machineId = r.machineId;
  return out;
});

const arbUnits = fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: NAMES.length }).chain((names) =>
  fc.tuple(...names.map((name) => arbRequirements.map((requirements) => ({ name, requirements }) as ScheduledUnit))).map((us) => us as ScheduledUnit[]),
);
const arbMachines = fc.uniqueArray(fc.constantFrom(...IDS), { maxLength: IDS.length }).chain((ids) =>
  fc.tuple(
    ...ids.map((id) =>
      fc.record({ role: fc.constantFrom('web', 'db', 'cache', undefined), zone: fc.constantFrom('a', 'b', undefined), alive: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }) }).map((x) => {
        const metadata: Record<string, string> = {};
        if (x.role) metadata.role = x.role;
        if (x.zone) metadata.zone = x.zone;
        return machine(id, metadata, x.alive);
      }),
    ),
  ).map((ms) => ms as MachineState[]),
);
const arbCurrent = fc.dictionary(fc.constantFrom(...NAMES, 'gone.service'), fc.subarray([...IDS, 'm9'], { minLength: 1, maxLength: 2 }), { maxKeys: 8 });
const arbCase = fc.record({ units: arbUnits, machines: arbMachines, current: arbCurrent });

describe('schedule: properties', () => {
  const runs = { numRuns: Number(process.env.SCHEDULER_PROPERTY_RUNS ?? 400) };

  test('no placement ever breaks a rule, and every unplaced unit has a reason', () => {
    fc.assert(
      fc.property(arbCase, ({ units, machines: ms, current }) => {
        const r = schedule(units, ms, current);
        assert.deepEqual(placementViolations(units, ms, r.placement), []);
        const placed = new Set(Object.keys(r.placement));
        for (const u of units) assert.equal(placed.has(u.name) || r.unschedulable.some((x) => x.unit === u.name), true, u.name);
        for (const u of r.unschedulable) {
          assert.ok(u.reasons.length > 0);
          assert.ok(!u.reasons.some((s) => s.includes('could take it now')), `${u.unit}: ${JSON.stringify(u.reasons)}`);
        }
      }),
      runs,
    );
  });

  test('shuffling units and machines does not change the result', () => {
    fc.assert(
      fc.property(arbCase, fc.nat(), ({ units, machines: ms, current }, seed) => {
        const shuffle = <T>(xs: readonly T[]): T[] => {
          const a = [...xs];
          let s = seed + 1;
          for (let i = a.length - 1; i > 0; i--) {
            s = (s * 1103515245 + 12345) & 0x7fffffff;
            const j = s % (i + 1);
            [a[i], a[j]] = [a[j], a[i]];
          }
          return a;
        };
        const shuffledCurrent = Object.fromEntries(shuffle(Object.entries(current)).map(([k, v]) => [k, shuffle(v)]));
        assert.deepEqual(schedule(shuffle(units), shuffle(ms), shuffledCurrent), schedule(units, ms, current));
      }),
      runs,
    );
  });

  test('a second run on its own result changes nothing', () => {
    fc.assert(
      fc.property(arbCase, ({ units, machines: ms, current }) => {
        const r = schedule(units, ms, current);
        const again = schedule(units, ms, r.placement);
        assert.deepEqual(again.placement, r.placement);
        assert.deepEqual(again.evicted, []);
      }),
      runs,
    );
  });

  test('nothing stays unplaced while a machine could take it as things stand', () => {
    fc.assert(
      fc.property(arbCase, ({ units, machines: ms, current }) => {
        const r = schedule(units, ms, current);
        const alive = ms.filter((m) => m.alive).map((m) => m.id);
        for (const u of units) {
          const on = r.placement[u.name] ?? [];
          if (!u.requirements.global && on.length) continue;
          for (const id of alive) {
            if (on.includes(id)) continue;
            const trial = { ...r.placement, [u.name]: [...on, id] };
            assert.notDeepEqual(placementViolations(units, ms, trial), [], `${u.name} could run on ${id}`);
          }
        }
      }),
      runs,
    );
  });

  test('a machine joining moves nothing that was placed', () => {
    fc.assert(
      fc.property(arbCase, ({ units, machines: ms, current }) => {
        const r = schedule(units, ms, current);
        const extra = machine('m0', { role: 'db', zone: 'a' });
        const r2 = schedule(units, [...ms, extra], r.placement);
        for (const u of units) {
          if (u.requirements.global || !r.placement[u.name]) continue;
          assert.deepEqual(r2.placement[u.name], r.placement[u.name], u.name);
        }
      }),
      runs,
    );
  });
});
