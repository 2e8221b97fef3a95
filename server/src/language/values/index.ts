// Value checks by type. checkValue() reproduces the parser systemd uses for a directive and
// reports where the value goes wrong, in words a user understands. Principles:
// - never a false alarm: anything systemd accepts (in the version we check against and newer
//   ones) passes; when a value contains a "%" specifier and the parser expands specifiers (or we
//   do not know whether it does), the check is skipped rather than guessed;
// - an empty value is never flagged (it resets the setting for nearly every directive);
// - when `info.parser` names a systemd parser we reproduce, its exact syntax wins over the
//   generic rules of `kind` (e.g. config_parse_unsigned is 32-bit, config_parse_cg_weight 1..10000,
//   config_parse_memory_limit refuses 0 for MemoryMax=); unknown parsers get lenient defaults.
import type { ValueKind } from '../catalog/types';
import { checkBoolean } from './boolean';
import { quote, safeAtou, skipForSpecifier, trimBounds, UINT64_MAX, whole, type ValueCheckInfo, type ValueProblem } from './common';
import { checkEnum } from './enum';
import { checkInteger, DEFAULT_INTEGER, DEFAULT_UNSIGNED, INTEGER_PARSERS } from './integer';
import { checkMode } from './mode';
import { checkPathValue } from './path';
import { checkSignal } from './signal';
import { checkMemoryLimit, checkSize, parsePermyriad } from './size';
import { checkTimespan } from './timespan';
import { checkSingleUnit, checkUnitList } from './unitName';

export type { ValueProblem, ValueCheckInfo } from './common';
export { BOOLEAN_WORDS, BOOLEAN_TRUE_WORDS, BOOLEAN_FALSE_WORDS, parseBoolean, isBooleanWord } from './boolean';
export { TIME_UNITS, TIME_UNITS_NSEC, TIME_UNIT_NAMES, TIME_UNIT_NAMES_NSEC, TIME_UNIT_SHORT, TIME_UNIT_SHORT_NSEC, parseTimespan } from './timespan';
export { SIGNAL_NAMES, SIGNAL_TABLE, SIGRTMIN, SIGRTMAX, parseSignal } from './signal';
export { SIZE_SUFFIXES, SIZE_SUFFIX_NAMES, parseSize, parsePermyriad, parseMemoryLimit } from './size';
export { MODE_MAX, parseMode } from './mode';
export { UNIT_TYPES, UNIT_NAME_MAX, unitNameProblem, splitUnitList } from './unitName';
export { enumAccepts, EXTRA_ENUM_VALUES, BOOLEAN_ENUM_PARSERS } from './enum';

/**
 * Parsers that never expand specifiers: for them "%" is just an invalid character and the
 * check runs as usual.
 */
const NON_EXPANDING = new Set([
  'config_parse_bool',
  'config_parse_tristate',
  'config_parse_sec',
  'config_parse_sec_fix_0',
  'config_parse_sec_def_infinity',
  'config_parse_service_timeout',
  'config_parse_service_timeout_abort',
  'config_parse_timeout_abort',
  'config_parse_job_timeout_sec',
  'config_parse_job_running_timeout_sec',
  'config_parse_nsec',
  'config_parse_mode',
  'config_parse_iec_size',
  'config_parse_memory_limit',
  'config_parse_signal',
  'config_parse_tasks_max',
  ...Object.keys(INTEGER_PARSERS),
]);

/** Parsers whose syntax is not what their ValueKind suggests and that we do not reproduce. */
const UNCHECKED_PARSERS = new Set([
  'config_parse_rlimit', // per-resource units, "soft:hard", "infinity"
  'config_parse_cpu_quota', // "N%"
  'config_parse_io_limit',
  'config_parse_io_device_weight',
  'config_parse_io_device_latency',
  'config_parse_blockio_weight',
  'config_parse_blockio_bandwidth',
  'config_parse_blockio_device_weight',
  'config_parse_managed_oom_mem_pressure_limit',
  'config_parse_concurrency_max',
  'config_parse_warn_compat', // ignored keys: any value
  'config_parse_unit_condition_string', // checked at run time, not when loading
  'config_parse_timer_calendar',
  'config_parse_exec',
  'config_parse_set_status',
  'config_parse_exit_status',
]);

/** Which timespan parsers accept what; config_parse_timer also covers OnCalendar= (a calendar spec). */
function timerIsCalendar(info: ValueCheckInfo | undefined): boolean {
  return info?.parser === 'config_parse_timer' && (info.name === undefined || info.name === 'OnCalendar');
}

/** config_parse_tasks_max: empty, "infinity", a percentage, or an integer 1 … 2^64-2. */
function checkTasksMax(value: string): ValueProblem[] {
  const [vs, ve] = trimBounds(value);
  const s = value.slice(vs, ve);
  if (s === '' || s === 'infinity' || parsePermyriad(s) !== undefined) return [];
  const r = safeAtou(s, { max: UINT64_MAX });
  if (r.ok && r.value > 0n && r.value < UINT64_MAX) return [];
  if (r.ok) return whole(value, `${quote(s)} is out of range: use a number of tasks of 1 or more, a percentage such as 10%, or infinity.`);
  return whole(value, `${quote(s)} is not a task limit: use a number such as 4096, a percentage such as 10%, or infinity.`);
}

/**
 * Problems in `value` for a directive of `kind`; offsets and lengths are inside `value`.
 * `info` may be the catalog's DirectiveInfo as is.
 */
export function checkValue(kind: ValueKind, value: string, info?: ValueCheckInfo): ValueProblem[] {
  try {
    return check(kind, value, info);
  } catch {
    // A checker bug must never surface as a diagnostic or an exception in the server.
    return [];
  }
}

function check(kind: ValueKind, value: string, info: ValueCheckInfo | undefined): ValueProblem[] {
  if (kind === 'string' || kind === 'command') return [];
  const [vs, ve] = trimBounds(value);
  if (vs === ve) return []; // an empty value resets the setting
  const parser = info?.parser;
  if (parser !== undefined && UNCHECKED_PARSERS.has(parser)) return [];
  // '%' is a percent sign for memory limits and task limits, never a specifier there.
  const percentKind = kind === 'memory-limit' || parser === 'config_parse_tasks_max';
  // Unit names, paths and enumerations deal with specifiers themselves (they check what stays
  // literal after expansion); for the other kinds a value with "%" is skipped unless the parser
  // is known never to expand specifiers.
  const ownSpecifierHandling = kind === 'unit' || kind === 'unit-list' || kind === 'absolute-path' || kind === 'enum';
  if (!percentKind && !ownSpecifierHandling && skipForSpecifier(value, info, NON_EXPANDING)) return [];

  // The parser's own syntax first, where it differs from the kind's generic rules.
  if (parser !== undefined) {
    const spec = INTEGER_PARSERS[parser];
    if (spec !== undefined && (kind === 'unsigned' || kind === 'integer')) return checkInteger(value, spec);
    if (parser === 'config_parse_tasks_max') return checkTasksMax(value);
    if (parser === 'config_parse_timer' && timerIsCalendar(info)) return [];
  }

  switch (kind) {
    case 'boolean':
    case 'tristate':
      return checkBoolean(value);
    case 'timespan':
      return checkTimespan(value, false);
    case 'timespan-nsec':
      return checkTimespan(value, true);
    case 'unsigned':
      return checkInteger(value, DEFAULT_UNSIGNED);
    case 'integer':
      return checkInteger(value, DEFAULT_INTEGER);
    case 'mode':
      return checkMode(value);
    case 'size':
      return checkSize(value);
    case 'memory-limit':
      return checkMemoryLimit(value, info?.name);
    case 'signal':
      return checkSignal(value);
    case 'enum':
      return checkEnum(value, info);
    case 'unit-list':
      return checkUnitList(value, info);
    case 'unit':
      return checkSingleUnit(value, info);
    case 'absolute-path':
      return checkPathValue(value, info);
    default:
      return [];
  }
}
