// A JournalSource from the cluster core's journal stream: an AsyncIterable of entries (e.g.
// `unitJournal(cluster, { units, follow: true, signal, onState })`, or mergeJournalStreams over
// followJournal()s) plus the per-machine follow states. Entries that arrive together are passed on
// as one batch; the machines' states become the viewer's state. No `vscode` import.
import type { FollowState } from '../../cluster/journal';
import { JournalSourceEmitter, type JournalSource, type JournalViewEntry } from './source';

export interface StreamHooks {
  /** Aborted when the panel closes: stop following (close the SSH channels). */
  signal: AbortSignal;
  /** A machine's follow state, with the reason and the delay before the next attempt when there is one. */
  onState(machine: string, state: FollowState, info?: { error?: unknown; delayMs?: number }): void;
  /** A machine's stream failed for good (the others go on). */
  onSourceError(machine: string, error: unknown): void;
}

export type StartStream = (hooks: StreamHooks) => AsyncIterable<JournalViewEntry> | Promise<AsyncIterable<JournalViewEntry>>;

interface MachineState {
  state: FollowState;
  why?: string;
}

/** An error's message without a closing full stop (it is followed by more text). */
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).trim().replace(/\.$/, '');

/** Combines the machines' follow states into the viewer's state and banner text. */
export class StateAggregator {
  private readonly machines = new Map<string, MachineState>();

  set(machine: string, state: FollowState, info: { error?: unknown; delayMs?: number } = {}): void {
    let why: string | undefined;
    if (state === 'reconnecting') {
      const wait = info.delayMs !== undefined ? `retrying in ${(info.delayMs / 1000).toFixed(1)} s` : 'retrying';
      why = info.error !== undefined ? `${messageOf(info.error)}; ${wait}` : wait;
    } else if (state === 'failed') {
      why = info.error !== undefined ? `failed: ${messageOf(info.error)}` : 'failed';
    }
    // "reconnecting" without a reason is the follower starting an attempt; keep the reason of the drop.
    const previous = this.machines.get(machine);
    if (state === 'reconnecting' && info.error === undefined && previous?.state === 'reconnecting') why = previous.why;
    this.machines.set(machine, { state, why });
  }

  fail(machine: string, error: unknown): void {
    this.machines.set(machine, { state: 'failed', why: `failed: ${messageOf(error)}` });
  }

  /** The viewer's state; `detail` names the machines that are not streaming, and why. */
  get(): { state: 'connecting' | 'connected' | 'reconnecting'; detail?: string } {
    const all = [...this.machines];
    const describe = (wanted: FollowState): string =>
      all
        .filter(([, s]) => s.state === wanted)
        .map(([m, s]) => (s.why ? `${m}: ${s.why}` : m))
        .join('; ');
    if (all.some(([, s]) => s.state === 'reconnecting')) return { state: 'reconnecting', detail: describe('reconnecting') };
    if (all.some(([, s]) => s.state === 'connecting')) return { state: 'connecting', detail: describe('connecting') };
    const failed = describe('failed');
    return failed ? { state: 'connected', detail: failed } : { state: 'connected' };
  }
}

export function journalSourceFromStream(start: StartStream): JournalSource {
  const controller = new AbortController();
  const emitter = new JournalSourceEmitter(() => controller.abort());
  const states = new StateAggregator();
  const update = (): void => {
    const { state, detail } = states.get();
    emitter.setState(state, detail);
  };
  const hooks: StreamHooks = {
    signal: controller.signal,
    onState: (machine, state, info) => {
      states.set(machine, state, info);
      update();
    },
    onSourceError: (machine, error) => {
      states.fail(machine, error);
      update();
    },
  };

  let batch: JournalViewEntry[] = [];
  let flushing = false;
  const flush = (): void => {
    flushing = false;
    const out = batch;
    batch = [];
    emitter.push(out);
  };

  void (async () => {
    try {
      const entries = await start(hooks);
      for await (const entry of entries) {
        if (controller.signal.aborted) break;
        batch.push(entry);
        // Everything that arrives before the event loop turns goes out as one batch.
        if (!flushing) {
          flushing = true;
          setImmediate(flush);
        }
      }
      flush();
      if (!controller.signal.aborted) emitter.end(states.get().detail);
    } catch (error) {
      flush();
      if (!controller.signal.aborted) emitter.end(messageOf(error));
    }
  })();
  return emitter;
}
