// Signals: systemd's signal_from_string() (src/basic/signal-util.c) behind config_parse_signal:
// a number 1..64 (safe_atoi: decimal, 0x hex, 0 octal), or a name from systemd's table with an
// optional "SIG" prefix (case-sensitive: "SIGTERM" or "TERM", never "sigterm"), or RTMIN, RTMIN+n,
// RTMAX, RTMAX-n with 0 <= n <= SIGRTMAX-SIGRTMIN (glibc on Linux: SIGRTMIN 34, SIGRTMAX 64).
import { didYouMean, quote, safeAtoi, trimBounds, whole, type ValueProblem } from './common';

/** systemd's static signal table (Linux numbering), without the "SIG" prefix. */
export const SIGNAL_TABLE: Readonly<Record<string, number>> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  STKFLT: 16,
  CHLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  XCPU: 24,
  XFSZ: 25,
  VTALRM: 26,
  PROF: 27,
  WINCH: 28,
  IO: 29,
  PWR: 30,
  SYS: 31,
};

export const SIGRTMIN = 34;
export const SIGRTMAX = 64;
/** _NSIG - 1 on Linux. */
export const SIGNAL_MAX = 64;

/** Signal names as usually written (for completion), most used first. */
export const SIGNAL_NAMES: readonly string[] = [
  'SIGTERM',
  'SIGKILL',
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGABRT',
  'SIGCONT',
  'SIGSTOP',
  'SIGWINCH',
  'SIGCHLD',
  'SIGPIPE',
  'SIGALRM',
  ...Object.keys(SIGNAL_TABLE)
    .map((n) => `SIG${n}`)
    .filter((n) => !['SIGTERM', 'SIGKILL', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGABRT', 'SIGCONT', 'SIGSTOP', 'SIGWINCH', 'SIGCHLD', 'SIGPIPE', 'SIGALRM'].includes(n)),
  'SIGRTMIN',
  'SIGRTMAX',
];

/** signal_from_string(): the signal number, or undefined when systemd refuses the value. */
export function parseSignal(s: string): number | undefined {
  const num = safeAtoi(s, -(1n << 31n), (1n << 31n) - 1n);
  if (num.ok) {
    const n = Number(num.value);
    return n > 0 && n <= SIGNAL_MAX ? n : undefined;
  }
  let name = s.startsWith('SIG') ? s.slice(3) : s;
  if (Object.prototype.hasOwnProperty.call(SIGNAL_TABLE, name)) return SIGNAL_TABLE[name];
  for (const [base, sign] of [['RTMIN', '+'], ['RTMAX', '-']] as const) {
    if (!name.startsWith(base)) continue;
    name = name.slice(base.length);
    if (name === '') return base === 'RTMIN' ? SIGRTMIN : SIGRTMAX;
    if (name[0] !== sign) return undefined;
    const r = safeAtoi(name, -(1n << 31n), (1n << 31n) - 1n);
    if (!r.ok) return undefined;
    const n = Number(r.value);
    if (base === 'RTMIN') return n >= 0 && n <= SIGRTMAX - SIGRTMIN ? SIGRTMIN + n : undefined;
    return n <= 0 && n >= SIGRTMIN - SIGRTMAX ? SIGRTMAX + n : undefined;
  }
  return undefined;
}

export function checkSignal(value: string): ValueProblem[] {
  const [vs, ve] = trimBounds(value);
  if (vs === ve) return [];
  const s = value.slice(vs, ve);
  if (parseSignal(s) !== undefined) return [];
  const hint = 'use a name such as SIGTERM, SIGKILL, SIGHUP or SIGINT (the SIG prefix is optional, upper case), SIGRTMIN+n, or a number from 1 to 64';
  if (/^[+-]?\d+$/.test(s)) return whole(value, `${quote(s)} is not a signal number: ${hint}.`);
  const rt = /^(?:SIG)?(RTMIN|RTMAX)([+-])?(.*)$/.exec(s);
  if (rt && rt[3] !== '' && /^\d+$/.test(rt[3])) {
    return whole(value, `${quote(s)} is out of range: real-time signals are RTMIN+0 to RTMIN+${SIGRTMAX - SIGRTMIN} and RTMAX-0 to RTMAX-${SIGRTMAX - SIGRTMIN}.`);
  }
  // Case slips ("sigterm", "Term") and typos ("SIGTREM").
  const upper = s.toUpperCase();
  let suggestion: string | undefined;
  const bare = upper.startsWith('SIG') ? upper.slice(3) : upper;
  if (Object.prototype.hasOwnProperty.call(SIGNAL_TABLE, bare) || /^RTM(IN|AX)([+-]\d+)?$/.test(bare)) {
    suggestion = s.toUpperCase();
    if (parseSignal(suggestion) === undefined) suggestion = undefined;
  }
  if (suggestion === undefined) {
    const withSig = upper.startsWith('SIG') ? upper : `SIG${upper}`;
    suggestion = didYouMean(withSig, SIGNAL_NAMES);
  }
  const spec = s.includes('%') ? ' Specifiers such as %i are not expanded here.' : '';
  return whole(value, `${quote(s)} is not a signal: ${hint}.${spec}`, suggestion);
}
