// What program a command line really runs: wrappers such as `env`, `exec`, `nice` or `sudo` are
// looked through, and shells called with `-c SCRIPT` are recognised. Pure functions over the words'
// texts, shared by the exec parser, the shell payload parser, the trap detectors and the etcd index.

/** A valid environment variable name. */
export const isEnvName = (s: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);

/** The last path component: `/usr/bin/docker` → `docker`. */
export function basename(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

interface WrapperSpec {
  /** Options that take the next word as their value (`-u NAME`). */
  withValue?: readonly string[];
  /** Long options (`--foo`) that take the next word when written without `=`. */
  longWithValue?: readonly string[];
  /** Leading `NAME=value` words are environment assignments (env). */
  assignments?: boolean;
  /** A positional argument before the program (timeout's DURATION). */
  positional?: number;
  /** Options after which the program is not run at all (`command -v`). */
  notRunning?: readonly string[];
}

const WRAPPERS: Record<string, WrapperSpec> = {
  env: { withValue: ['-u', '-C', '-S'], longWithValue: ['--unset', '--chdir', '--split-string'], assignments: true },
  exec: { withValue: ['-a'] },
  command: { notRunning: ['-v', '-V'] },
  builtin: {},
  nohup: {},
  time: {},
  nice: { withValue: ['-n'], longWithValue: ['--adjustment'] },
  ionice: { withValue: ['-c', '-n'], longWithValue: ['--class', '--classdata'] },
  setsid: {},
  stdbuf: { withValue: ['-i', '-o', '-e'], longWithValue: ['--input', '--output', '--error'] },
  timeout: { withValue: ['-s', '-k'], longWithValue: ['--signal', '--kill-after'], positional: 1 },
  sudo: { withValue: ['-u', '-g', '-p', '-C', '-D', '-r', '-t', '-T', '-U', '-h'], longWithValue: ['--user', '--group', '--prompt', '--chdir', '--role', '--type', '--command-timeout', '--other-user', '--host'] },
};

/**
 * Index of the word naming the program that actually runs, looking through wrappers
 * (`env VAR=1 nice -n 5 docker …` → the index of `docker`). Returns `texts.length` when there is
 * none (`env` alone, `command -v x`).
 */
export function programIndex(texts: readonly string[], from = 0): number {
  let i = from;
  for (let guard = 0; guard < 16 && i < texts.length; guard++) {
    const spec = WRAPPERS[basename(texts[i])];
    if (!spec) return i;
    i++;
    let positional = spec.positional ?? 0;
    while (i < texts.length) {
      const t = texts[i];
      if (t === '--') {
        i++;
        break;
      }
      if (spec.notRunning?.includes(t)) return texts.length;
      if (t.startsWith('--') && t.length > 2) {
        i += spec.longWithValue?.includes(t) ? 2 : 1;
        continue;
      }
      if (t.startsWith('-') && t.length > 1) {
        // `nice -10`: a numeric option is the adjustment itself.
        i += spec.withValue?.includes(t) ? 2 : 1;
        continue;
      }
      if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) {
        i++;
        continue;
      }
      if (positional > 0) {
        positional--;
        i++;
        continue;
      }
      break;
    }
  }
  return i;
}

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'ksh', 'mksh', 'zsh', 'yash', 'posh']);
const SHELL_LONG_WITH_VALUE = new Set(['--rcfile', '--init-file']);

export interface ShellInvocation {
  /** Index of the shell's word. */
  shell: number;
  /** Index of the script word after `-c`, or undefined when the shell runs a file or reads stdin. */
  script: number | undefined;
  /** `-e` among the shell's options (errexit). */
  errexit: boolean;
  /** Which grammar: bash (bash, ksh, zsh), posix (dash, ash, busybox), or sh (either: dash on Debian, bash on Fedora and Flatcar). */
  dialect: ShellDialect;
}

export type ShellDialect = 'bash' | 'posix' | 'sh';
const DIALECTS: Record<string, ShellDialect> = { sh: 'sh', bash: 'bash', ksh: 'bash', mksh: 'bash', zsh: 'bash', yash: 'bash', dash: 'posix', ash: 'posix', posh: 'posix' };

/** Recognises `sh -c SCRIPT`, `bash -euc SCRIPT`, `/usr/bin/env bash -c …`, `busybox sh -c …`. */
export function shellInvocation(texts: readonly string[], from = 0): ShellInvocation | undefined {
  let i = programIndex(texts, from);
  if (i >= texts.length) return undefined;
  let name = basename(texts[i]);
  let busybox = false;
  if (name === 'busybox' && i + 1 < texts.length) {
    i++;
    name = texts[i];
    busybox = true;
  }
  if (!SHELLS.has(name)) return undefined;
  const shell = i;
  let command = false;
  let errexit = false;
  let j = i + 1;
  for (; j < texts.length; j++) {
    const t = texts[j];
    if (t === '--' || t === '-') {
      j++;
      break;
    }
    if (t.startsWith('--')) {
      if (SHELL_LONG_WITH_VALUE.has(t)) j++;
      continue;
    }
    if ((t.startsWith('-') || t.startsWith('+')) && t.length > 1) {
      const letters = t.slice(1);
      if (t[0] === '-' && letters.includes('c')) command = true;
      if (t[0] === '-' && letters.includes('e')) errexit = true;
      // `-o errexit`, `-O extglob`: the option name is the next word.
      for (const ch of letters) {
        if (ch === 'o' || ch === 'O') {
          j++;
          if (t[0] === '-' && texts[j] === 'errexit') errexit = true;
        }
      }
      continue;
    }
    break;
  }
  return { shell, script: command && j < texts.length ? j : undefined, errexit, dialect: busybox ? 'posix' : DIALECTS[name] ?? 'bash' };
}
