// `docker …` invocations in command lines: which action, on which containers, with which name.
import { basename, programIndex } from './programs';
import type { SimpleCommand, Word } from './types';

export interface DockerInvocation {
  /** Index in `argv` of the docker program word. */
  program: number;
  /** Index in `argv` of the action word (`rm` in `docker container rm`). */
  actionIndex: number;
  /** Normalised action: `rm`, `kill`, `stop`, `run`, `prune`, … (`container rm` → `rm`). */
  action: string;
  /** Flags given to the action (`-f`, `--force`, `--rm`, …), long forms as written. */
  flags: Set<string>;
  /** Positional arguments (containers for rm/kill/stop; the image and its command for run). */
  operands: Word[];
  /** `run`/`create`: the `--name` value and the word(s) holding it. */
  name?: { word: Word; from: Word; value: string };
}

const DOCKERS = new Set(['docker', 'podman']);
const GLOBAL_WITH_VALUE = new Set(['-H', '--host', '--config', '-c', '--context', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey']);
const ACTION_ALIASES: Record<string, string> = { remove: 'rm', delete: 'rm' };
/** Options of each action that take a value (when not written `--opt=value`). */
const WITH_VALUE: Record<string, ReadonlySet<string>> = {
  kill: new Set(['-s', '--signal']),
  stop: new Set(['-t', '--time', '--timeout', '-s', '--signal']),
  rm: new Set([]),
};
/** docker run/create options without a value; every other option takes one. */
const RUN_BOOLEANS = new Set([
  '-d', '--detach', '-i', '--interactive', '-t', '--tty', '--rm', '--init', '--privileged', '-P', '--publish-all', '--read-only', '--no-healthcheck',
  '--oom-kill-disable', '-q', '--quiet', '--disable-content-trust', '--help', '--sig-proxy', '--use-api-socket',
]);
const RUN_SHORT_BOOLEANS = new Set(['d', 'i', 't', 'P', 'q']);

/** Parses `docker [global options] [container] ACTION …`; undefined when the command is not docker (or podman). */
export function dockerInvocation(command: SimpleCommand): DockerInvocation | undefined {
  const argv = command.argv;
  const program = programIndex(argv.map((w) => w.text));
  if (program >= argv.length || !DOCKERS.has(basename(argv[program].text))) return undefined;
  let i = program + 1;
  while (i < argv.length && argv[i].text.startsWith('-')) i += GLOBAL_WITH_VALUE.has(argv[i].text) ? 2 : 1;
  if (i >= argv.length) return undefined;
  let action = argv[i].text;
  if (action === 'container' && i + 1 < argv.length) {
    i++;
    action = argv[i].text;
  } else if (action === 'system' && argv[i + 1]?.text === 'prune') {
    i++;
    action = 'prune';
  }
  action = ACTION_ALIASES[action] ?? action;
  const invocation: DockerInvocation = { program, actionIndex: i, action, flags: new Set(), operands: [] };
  const run = action === 'run' || action === 'create';
  const withValue = WITH_VALUE[action] ?? new Set<string>();
  for (let j = i + 1; j < argv.length; j++) {
    const w = argv[j];
    const t = w.text;
    if (t === '--') {
      invocation.operands.push(...argv.slice(j + 1));
      break;
    }
    if (t.startsWith('--') && t.length > 2) {
      const eq = t.indexOf('=');
      const name = eq < 0 ? t : t.slice(0, eq);
      invocation.flags.add(name);
      const takesValue = run ? !RUN_BOOLEANS.has(name) : withValue.has(name);
      let value: Word | undefined;
      let valueText: string | undefined;
      if (eq >= 0) valueText = t.slice(eq + 1);
      else if (takesValue && j + 1 < argv.length) {
        value = argv[++j];
        valueText = value.text;
      }
      if (run && name === '--name' && valueText !== undefined) invocation.name = { word: value ?? w, from: w, value: valueText };
      continue;
    }
    if (t.startsWith('-') && t.length > 1) {
      if (run) {
        const letters = t.slice(1);
        if ([...letters].every((c) => RUN_SHORT_BOOLEANS.has(c))) {
          for (const c of letters) invocation.flags.add(`-${c}`);
        } else {
          // -p8080:80 carries its value; -p 8080:80 takes the next word.
          invocation.flags.add(t.slice(0, 2));
          if (letters.length === 1 || RUN_SHORT_BOOLEANS.has(letters[0])) j++;
        }
      } else {
        for (const c of t.slice(1)) invocation.flags.add(`-${c}`);
        if (withValue.has(t)) j++;
      }
      continue;
    }
    invocation.operands.push(w);
    if (run) {
      // The image: everything after it belongs to the container's command.
      invocation.operands.push(...argv.slice(j + 1));
      break;
    }
  }
  return invocation;
}

/** True when `docker rm` is forced (`-f`, `--force`): since Docker 20.10 it succeeds when the container does not exist. */
export function isForcedRemoval(d: DockerInvocation): boolean {
  return d.action === 'rm' && (d.flags.has('-f') || d.flags.has('--force'));
}
