// Test mode only (the extension-host suite runs in ExtensionMode.Test; the browser UI test, where the
// extension is installed rather than under development, sets UNIT_FLEET_TEST_MODE=1 for code-server):
// a command that opens a journal panel fed by real local processes standing in for journalctl on
// each machine (test/fixtures/journal-viewer/emit-journal.mjs, given journalctl's own arguments),
// through the cluster core's journal path: journalctlOpener → processOutput → followJournal
// (parse, resume after the cursor) → mergeJournalStreams — only SSH is replaced by a local spawn.
// Never registered in normal use: the product has no demo data path.
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { exitStatusOf, followJournal, journalctlOpener, mergeJournalStreams, processOutput, type JournalStreamSource } from '../../cluster/journal';
import type { OpenJournal } from './index';
import { journalSourceFromStream } from './streamSource';

export const openTestJournalCommand = 'unitFleet.test.openJournalFromProcesses';

export interface TestJournalArgs {
  title?: string;
  /** Machine names; one stand-in journalctl each (default m1, m2, m3). */
  machines?: string[];
  /** The unit on machine n (0-based) is `${unitPrefix}${n + 1}.service` (default helloworld@). */
  unitPrefix?: string;
  /** New entries per second per machine (0: as fast as possible). Default 40. */
  rate?: number;
  /** Entries per machine's journal, after which it stops growing (default: endless). */
  count?: number;
  /** History each stream starts with (journalctl --lines). Default 20. */
  lines?: number;
  /** This machine's stream drops (exit 255, like a lost SSH session) after entry `dropAfter` (default m2 after 120 with the default machines). */
  dropMachine?: string;
  dropAfter?: number;
  /** Delay before reconnecting (default 4 s, so the banner can be seen). */
  reconnectDelayMs?: number;
}

export function registerJournalTestCommands(context: vscode.ExtensionContext, openJournal: OpenJournal): void {
  const emitter = vscode.Uri.joinPath(context.extensionUri, 'test', 'fixtures', 'journal-viewer', 'emit-journal.mjs').fsPath;
  void vscode.commands.executeCommand('setContext', 'unitFleet.testMode', true);
  context.subscriptions.push(
    vscode.commands.registerCommand(openTestJournalCommand, (args: TestJournalArgs = {}) => {
      const machines = args.machines ?? ['m1', 'm2', 'm3'];
      const dropMachine = args.dropMachine ?? (args.machines ? undefined : 'm2');
      const units = machines.map((_, n) => `${args.unitPrefix ?? 'helloworld@'}${n + 1}.service`);
      const title = args.title ?? (machines.length > 1 ? `Journal: ${args.unitPrefix ?? 'helloworld@'}*` : `Journal: ${units[0]}`);
      const delay = args.reconnectDelayMs ?? 4000;
      return openJournal(
        () =>
          journalSourceFromStream(({ signal, onState, onSourceError }) => {
            const sources: JournalStreamSource[] = machines.map((machine, n) => {
              const env: NodeJS.ProcessEnv = {
                ...process.env,
                ELECTRON_RUN_AS_NODE: '1', // when the extension host is desktop VS Code's Electron
                JOURNAL_FIXTURE_MACHINE: machine,
                JOURNAL_FIXTURE_RATE: String(args.rate ?? 40),
              };
              if (args.count !== undefined) env.JOURNAL_FIXTURE_COUNT = String(args.count);
              if (machine === dropMachine) env.JOURNAL_FIXTURE_DROP_AFTER = String(args.dropAfter ?? 120);
              // What would run over SSH on the machine: journalctl with the core's arguments.
              const open = journalctlOpener({ units: [units[n] as string], lines: args.lines ?? 20, follow: true }, (argv, ctx) => {
                const child = spawn(process.execPath, [emitter, ...argv.slice(1)], { stdio: ['ignore', 'pipe', 'pipe'], env });
                ctx.signal.addEventListener('abort', () => child.kill(), { once: true });
                return processOutput(child.stdout, exitStatusOf(child), child.stderr);
              });
              return {
                id: machine,
                entries: followJournal(open, {
                  machine,
                  signal,
                  backoff: { initialMs: delay, maxMs: delay, jitter: 0 },
                  onState: (state, info) => onState(machine, state, info),
                }),
              };
            });
            return mergeJournalStreams(sources, { onSourceError });
          }),
        title,
      );
    }),
  );
}
