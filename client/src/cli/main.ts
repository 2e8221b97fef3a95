// unit-fleet: fleetctl's verbs on a cluster of systemd machines coordinated by etcd.
import { ClusterError, EXIT_CODES, exitCodeOf, messageOf } from '../cluster/errors';
import { flag, GLOBAL_OPTIONS, parseArgs, type OptionSpec } from './args';
import { CliContext } from './context';
import { joinVerb, listMachinesVerb } from './machines';
import { CONTAINERS_OPTIONS, containersVerb } from './containers';
import { JOURNAL_OPTIONS, journalVerb } from './journal';
import { KEYS_OPTIONS, keysVerb } from './keys';
import { sshVerb } from './ssh';
import { reconcileVerb } from './reconcile';
import { catVerb, lifecycleVerb, listUnitFilesVerb, listUnitsVerb, statusVerb } from './units';

export interface Verb {
  summary: string;
  usage: string;
  options: OptionSpec;
  run: (ctx: CliContext) => Promise<number>;
}

const NO_OPTIONS: OptionSpec = { values: [], flags: [] };

export const VERBS: Record<string, Verb> = {
  'list-machines': { summary: 'machines with id, address, liveness, systemd version, metadata', usage: 'list-machines [--json]', options: NO_OPTIONS, run: listMachinesVerb },
  'list-units': { summary: 'units placed on machines, with desired and live state', usage: 'list-units [--json]', options: NO_OPTIONS, run: listUnitsVerb },
  'list-unit-files': { summary: 'units in the cluster registry (hash, desired state, machine)', usage: 'list-unit-files [--json]', options: NO_OPTIONS, run: listUnitFilesVerb },
  submit: { summary: 'record units in the cluster (desired state inactive)', usage: 'submit UNIT|FILE... [--json]', options: NO_OPTIONS, run: lifecycleVerb('submit') },
  load: { summary: 'place units and put their files on their machines', usage: 'load UNIT|FILE... [--json]', options: NO_OPTIONS, run: lifecycleVerb('load') },
  start: { summary: 'place and start units (DIR/a@i.service uses DIR/a@.service)', usage: 'start UNIT|FILE... [--json]', options: NO_OPTIONS, run: lifecycleVerb('start') },
  stop: { summary: 'stop units (they stay loaded on their machines)', usage: 'stop UNIT... [--json]', options: NO_OPTIONS, run: lifecycleVerb('stop') },
  unload: { summary: 'take units off their machines (they stay submitted)', usage: 'unload UNIT... [--json]', options: NO_OPTIONS, run: lifecycleVerb('unload') },
  destroy: { summary: 'take units off their machines and out of the cluster', usage: 'destroy UNIT... [--json]', options: NO_OPTIONS, run: lifecycleVerb('destroy') },
  restart: { summary: 'restart units on their machines', usage: 'restart UNIT... [--json]', options: NO_OPTIONS, run: lifecycleVerb('restart') },
  status: { summary: 'systemctl status of units on their machines', usage: 'status UNIT... [--json]', options: NO_OPTIONS, run: statusVerb },
  cat: { summary: 'print the unit file recorded in the cluster', usage: 'cat UNIT...', options: NO_OPTIONS, run: catVerb },
  journal: {
    summary: 'journal of units (globs too) merged across machines; -f follows and survives connection drops',
    usage: 'journal [-f] [--lines N] [--machine M] [UNIT...] [--json]',
    options: JOURNAL_OPTIONS,
    run: journalVerb,
  },
  ssh: { summary: 'a shell or a command on a machine, or on the machine of a unit', usage: 'ssh MACHINE|UNIT [COMMAND...]', options: NO_OPTIONS, run: sshVerb },
  reconcile: {
    summary: 'reschedule units of dead machines, stop stale copies (--watch: continuously)',
    usage: 'reconcile [--watch] [--json]',
    options: { values: [], flags: ['watch'] },
    run: reconcileVerb,
  },
  keys: {
    summary: 'etcd keys: one level at a time (--limit, --after), get, set (--ttl), rm (--prefix), watch; --v2 for the v2 key space',
    usage: 'keys ls|get|set|rm|watch [KEY] [VALUE] [--json]',
    options: KEYS_OPTIONS,
    run: keysVerb,
  },
  containers: {
    summary: 'Docker containers per machine, linked to their units (--running); logs MACHINE CONTAINER [-f] [--lines N]',
    usage: 'containers [MACHINE...] | containers logs MACHINE CONTAINER [-f]',
    options: CONTAINERS_OPTIONS,
    run: containersVerb,
  },
  join: { summary: 'install the presence unit (liveness lease) on machines', usage: 'join [MACHINE...] [--json]', options: NO_OPTIONS, run: joinVerb },
};

const HELP = () => `unit-fleet — run systemd units on a cluster the fleet way (SSH, etcd, Docker)

Usage: unit-fleet [--cluster FILE] VERB [options] [args]

Verbs:
${Object.entries(VERBS)
  .map(([, verb]) => (verb.usage.length > 44 ? `  ${verb.usage}\n  ${''.padEnd(44)} ${verb.summary}` : `  ${verb.usage.padEnd(44)} ${verb.summary}`))
  .join('\n')}

Global options:
  --cluster FILE      cluster definition (default: $UNIT_FLEET_CLUSTER)
  --json              machine-readable output (every listing verb)
  --trust-host-key    trust (and record) ssh host keys not yet in known_hosts
  -q, --quiet         no progress on stderr
  -h, --help          this help

Secrets come from the environment variables the definition names (passwordEnv, passphraseEnv).

Exit codes:
  ${String(EXIT_CODES.ok).padStart(2)}  success
  ${String(EXIT_CODES.failure).padStart(2)}  unexpected failure
  ${String(EXIT_CODES.usage).padStart(2)}  wrong usage, or an invalid unit name or key
  ${String(EXIT_CODES.definition).padStart(2)}  the cluster definition is missing or invalid
  ${String(EXIT_CODES.unreachable).padStart(2)}  a machine or etcd is unreachable, refused the login, or timed out
  ${String(EXIT_CODES['host-key']).padStart(2)}  an ssh host key is unknown or has changed
  ${String(EXIT_CODES.etcd).padStart(2)}  etcd refused the request (authentication, permission, other errors)
  ${String(EXIT_CODES.unschedulable).padStart(2)}  a unit cannot be placed on any machine
  ${String(EXIT_CODES['not-found']).padStart(2)}  no such unit, unit file, machine or key
  ${String(EXIT_CODES.remote).padStart(2)}  a command on a machine failed (systemctl, docker, …)
  ${String(EXIT_CODES.conflict).padStart(2)}  concurrent changes kept winning; try again
`;

export async function main(argv: readonly string[]): Promise<number> {
  const takesValue = new Set(GLOBAL_OPTIONS.values.map((v) => `--${v}`));
  const verbIndex = argv.findIndex((a, i) => !a.startsWith('-') && (i === 0 || !takesValue.has(argv[i - 1]!)));
  const name = verbIndex >= 0 ? argv[verbIndex]! : undefined;
  if (!name || name === 'help') {
    process.stdout.write(HELP());
    return name ? 0 : argv.includes('--help') || argv.includes('-h') ? 0 : EXIT_CODES.usage;
  }
  const verb = VERBS[name];
  if (!verb) {
    process.stderr.write(`unit-fleet: unknown verb "${name}" (unit-fleet --help lists them)\n`);
    return EXIT_CODES.usage;
  }
  let ctx: CliContext | undefined;
  try {
    const args = parseArgs([...argv.slice(0, verbIndex), ...argv.slice(verbIndex + 1)], verb.options);
    if (flag(args, 'help')) {
      process.stdout.write(`Usage: unit-fleet ${verb.usage}\n${verb.summary}\n`);
      return 0;
    }
    ctx = new CliContext(args);
    return await verb.run(ctx);
  } catch (error) {
    const prefix = error instanceof ClusterError ? '' : 'unexpected error: ';
    process.stderr.write(`unit-fleet ${name}: ${prefix}${messageOf(error)}\n`);
    if (!(error instanceof ClusterError) && process.env.UNIT_FLEET_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return exitCodeOf(error);
  } finally {
    await ctx?.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // Watches and pooled connections must not keep a finished command alive.
      setTimeout(() => process.exit(code), 100).unref();
    },
    (error: unknown) => {
      process.stderr.write(`unit-fleet: ${messageOf(error)}\n`);
      process.exit(1);
    },
  );
}
