// A small argument parser: `--name value`, `--name=value`, boolean `--flag`, `-f`, and `--` to end
// options. Each verb declares which options take a value.
import { ClusterError } from '../cluster/errors';

export interface ParsedArgs {
  positional: string[];
  options: Map<string, string | true>;
}

export interface OptionSpec {
  /** Options that take a value (long names without dashes). */
  values: readonly string[];
  /** Boolean options. */
  flags: readonly string[];
  /** Short aliases: -f → follow. */
  short?: Readonly<Record<string, string>>;
}

export const GLOBAL_OPTIONS: OptionSpec = {
  values: ['cluster', 'timeout'],
  flags: ['json', 'trust-host-key', 'quiet', 'help'],
  short: { h: 'help', q: 'quiet' },
};

export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const values = new Set([...GLOBAL_OPTIONS.values, ...spec.values]);
  const flags = new Set([...GLOBAL_OPTIONS.flags, ...spec.flags]);
  const short = { ...GLOBAL_OPTIONS.short, ...spec.short };
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      if (values.has(name)) {
        const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new ClusterError('usage', `option --${name} needs a value`);
        options.set(name, value);
      } else if (flags.has(name)) {
        if (eq > 0) throw new ClusterError('usage', `option --${name} takes no value`);
        options.set(name, true);
      } else throw new ClusterError('usage', `unknown option --${name}`);
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      for (const c of arg.slice(1)) {
        const name = short[c];
        if (!name) throw new ClusterError('usage', `unknown option -${c}`);
        if (values.has(name)) {
          const value = argv[++i];
          if (value === undefined) throw new ClusterError('usage', `option -${c} needs a value`);
          options.set(name, value);
        } else options.set(name, true);
      }
    } else positional.push(arg);
  }
  return { positional, options };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  return typeof v === 'string' ? v : undefined;
}

export function intOption(args: ParsedArgs, name: string, fallback: number): number {
  const v = stringOption(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ClusterError('usage', `--${name} must be a non-negative integer, not "${v}"`);
  return n;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}
