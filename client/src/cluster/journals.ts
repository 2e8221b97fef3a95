// Journals of units across the cluster: `journalctl -o json` over each machine's pooled SSH
// connection (journal/ parses, resumes after a drop from the last cursor, and merges by time).
import type { Cluster } from './cluster';
import { ClusterError } from './errors';
import { followJournal, journalctlOpener, mergeJournalStreams, processOutput, type FollowState, type JournalEntry, type JournalStreamSource } from './journal';
import { globMatch } from '../../../server/src/language/fleet/glob';
import { readState } from './state';

export interface JournalRequest {
  /** Unit names or globs (`helloworld@*.service`); their machines come from the placement. */
  units?: string[];
  /** Machines to read (default: the machines of the units; without units: every machine). */
  machines?: string[];
  lines?: number;
  follow?: boolean;
  signal?: AbortSignal;
  onState?: (machine: string, state: FollowState) => void;
  onSourceError?: (machine: string, error: unknown) => void;
}

/** Which machines to read, and which units on each. */
export async function journalTargets(cluster: Cluster, request: JournalRequest): Promise<Map<string, string[]>> {
  const targets = new Map<string, string[]>();
  if (!request.units || request.units.length === 0) {
    for (const m of request.machines ?? cluster.machineNames()) targets.set(m, []);
    return targets;
  }
  const state = await readState(cluster);
  const ids = await cluster.machineIds();
  const nameOf = new Map([...ids].map(([n, id]) => [id, n]));
  for (const pattern of request.units) {
    const matches = Object.keys(state.placement).filter((u) => u === pattern || globMatch(pattern, u));
    if (matches.length === 0) throw new ClusterError('not-found', `no unit matching ${pattern} is placed on a machine`);
    for (const unit of matches) {
      for (const id of state.placement[unit]!) {
        const machine = nameOf.get(id);
        if (!machine || (request.machines && !request.machines.includes(machine))) continue;
        targets.set(machine, [...(targets.get(machine) ?? []), unit]);
      }
    }
  }
  return targets;
}

/** The merged journal entries of the request, oldest first (then live ones, with follow). */
export async function unitJournal(cluster: Cluster, request: JournalRequest): Promise<AsyncIterable<JournalEntry>> {
  const targets = await journalTargets(cluster, request);
  const sources: JournalStreamSource[] = [...targets].map(([machine, units]) => {
    const open = journalctlOpener({ units, lines: request.lines ?? 10, follow: request.follow ?? false }, async (argv, ctx) => {
      const { stream, exited } = await cluster.ssh.channel(machine, argv);
      ctx.signal.addEventListener('abort', () => stream.close(), { once: true });
      return processOutput(stream, exited, stream.stderr);
    });
    return {
      id: machine,
      entries: followJournal(open, {
        machine,
        follow: request.follow ?? false,
        signal: request.signal,
        onState: (state) => request.onState?.(machine, state),
      }),
    };
  });
  return mergeJournalStreams(sources, { onSourceError: request.onSourceError });
}

/** journalctl's short format: `Nov 25 04:05:11 core-01 unit[pid]: message`. */
export function formatEntry(entry: JournalEntry): string {
  const d = new Date(Math.floor(entry.realtimeUs / 1000));
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const time = d.toISOString().slice(11, 19);
  const who = entry.syslogIdentifier ?? entry.unit ?? '';
  return `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${entry.machine ?? entry.hostname ?? ''} ${who}${entry.pid ? `[${entry.pid}]` : ''}: ${entry.message}`;
}
