// Scheduler benchmark: 1,000 units on 50 machines (`npx tsx bench/scheduler.ts`).
// The unit mix looks like a real cluster: ten templates of 40 instances that conflict with their
// siblings, a sidekick per instance (MachineOf), units asking for machine metadata, units pinned
// by MachineID, plain units, a few with Replaces, and global units.
import { performance } from 'node:perf_hooks';
import { placementViolations, schedule } from '../client/src/cluster/scheduler';
import type { FleetRequirements, MachineState, Placement, ScheduledUnit } from '../client/src/cluster/scheduler';

const req = (o: Partial<FleetRequirements> = {}): FleetRequirements => ({ machineOf: [], metadata: {}, conflicts: [], global: false, replaces: [], ...o });

export function benchCluster(unitCount = 1000, machineCount = 50): { units: ScheduledUnit[]; machines: MachineState[] } {
  const machines: MachineState[] = Array.from({ length: machineCount }, (_, i) => ({
    id: (i + 1).toString(16).padStart(8, '0') + 'c0ffee'.repeat(4).slice(0, 24),
    hostname: `node-${String(i + 1).padStart(2, '0')}`,
    metadata: { role: ['web', 'db', 'cache'][i % 3], zone: i % 2 ? 'b' : 'a' },
    alive: true,
  }));
  const units: ScheduledUnit[] = [];
  for (let t = 0; t < 10; t++) {
    for (let i = 1; i <= 40; i++) {
      units.push({ name: `svc${t}@${i}.service`, requirements: req({ conflicts: [`svc${t}@*`] }) });
      units.push({ name: `svc${t}-sidekick@${i}.service`, requirements: req({ machineOf: [`svc${t}@${i}.service`] }) });
    }
  }
  for (let i = 0; i < 100; i++) units.push({ name: `meta-${i}.service`, requirements: req({ metadata: { role: [i % 2 ? 'web' : 'db'], ...(i % 5 === 0 ? { zone: ['a'] } : {}) } }) });
  for (let i = 0; i < 40; i++) units.push({ name: `pinned-${i}.service`, requirements: req({ machineId: machines[i % machineCount].id }) });
  for (let i = 0; i < 45; i++) units.push({ name: `plain-${i}.service`, requirements: req() });
  for (let i = 0; i < 5; i++) units.push({ name: `upgrade-${i}.service`, requirements: req({ replaces: [`plain-${i}.service`], metadata: { role: ['cache'] } }) });
  for (let i = 0; i < 10; i++) units.push({ name: `global-${i}.service`, requirements: req({ global: true, ...(i % 2 ? { metadata: { zone: ['a'] } } : {}) }) });
  return { units: units.slice(0, unitCount), machines };
}

function timeIt(runs: number, f: () => void): { median: number; min: number } {
  f(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0] };
}

export function benchScheduler(runs = 21): void {
  const { units, machines } = benchCluster();
  const cold = schedule(units, machines, {});
  const violations = placementViolations(units, machines, cold.placement);
  if (violations.length) throw new Error(`benchmark placement is unsound: ${violations[0]}`);
  const placed = Object.keys(cold.placement).length;

  const down = new Set(machines.slice(0, 5).map((m) => m.id));
  const failed = machines.map((m) => (down.has(m.id) ? { ...m, alive: false } : m));
  const current: Placement = cold.placement;
  const failover = schedule(units, failed, current);
  const moved = failover.evicted.filter((e) => e.to !== undefined).length;

  const fmt = (t: { median: number; min: number }) => `median ${t.median.toFixed(1)} ms  (min ${t.min.toFixed(1)} ms)`;
  console.log(`# scheduler: ${units.length} units on ${machines.length} machines (node ${process.version}, ${runs} runs each)`);
  console.log(`cold placement (nothing placed yet)        ${fmt(timeIt(runs, () => schedule(units, machines, {})))}   placed ${placed}, unschedulable ${cold.unschedulable.length}`);
  console.log(`steady state (current placement, no change) ${fmt(timeIt(runs, () => schedule(units, machines, current)))}`);
  console.log(`5 machines down (reschedule)                ${fmt(timeIt(runs, () => schedule(units, failed, current)))}   evicted ${failover.evicted.length}, moved ${moved}, unschedulable ${failover.unschedulable.length}`);
}

if (require.main === module) benchScheduler();
