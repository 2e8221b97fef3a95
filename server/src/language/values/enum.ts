// Enumerations: systemd's string-table lookups behind DEFINE_CONFIG_PARSE_ENUM and friends
// (src/basic/string-table.c): an exact, case-sensitive match of the whole value. Some tables also
// take any parse_boolean() word (DEFINE_STRING_TABLE_LOOKUP_WITH_BOOLEAN, e.g. ProtectSystem=),
// some a number (…_WITH_FALLBACK, e.g. IOSchedulingClass=), and config_parse_exec_output/input
// take "file:PATH" style forms; entries of `enumValues` that end in ":" stand for such prefixes.
import { BOOLEAN_WORDS, isBooleanWord, parseBoolean } from './boolean';
import { didYouMean, listWords, quote, safeAtou, trimBounds, UINT32_MAX, whole, type ValueCheckInfo, type ValueProblem } from './common';
import { checkPathValue } from './path';

/** Enum parsers whose table also accepts every boolean word (yes/no, true/false, on/off, 1/0…). */
export const BOOLEAN_ENUM_PARSERS = new Set([
  'config_parse_protect_home',
  'config_parse_protect_system',
  'config_parse_runtime_preserve_mode',
  'config_parse_exec_preserve_mode',
  'config_parse_socket_bind',
  'config_parse_socket_timestamping',
  'config_parse_private_tmp',
  'config_parse_private_users',
  'config_parse_private_pids',
  'config_parse_private_bpf',
  'config_parse_protect_control_groups',
  'config_parse_protect_hostname',
  'config_parse_memory_pressure_watch',
  'config_parse_show_status',
  'config_parse_delegate',
  'config_parse_socket_defer_trigger',
  'config_parse_bind_log_sockets',
]);

/**
 * Enum parsers known to be plain, case-sensitive table lookups with no boolean or numeric
 * fallback (so "Restart=false" is an error even though "no" is a value).
 */
export const PLAIN_ENUM_PARSERS = new Set([
  'config_parse_service_type',
  'config_parse_service_restart',
  'config_parse_service_restart_mode',
  'config_parse_kill_mode',
  'config_parse_notify_access',
  'config_parse_service_exit_type',
  'config_parse_oom_policy',
  'config_parse_collect_mode',
  'config_parse_service_timeout_failure_mode',
  'config_parse_exec_utmp_mode',
  'config_parse_exec_keyring_mode',
  'config_parse_protect_proc',
  'config_parse_proc_subset',
  'config_parse_job_mode',
  'config_parse_device_policy',
  'config_parse_emergency_action',
  'config_parse_managed_oom_preference',
  'config_parse_managed_oom_mode',
  'config_parse_exec_output',
  'config_parse_exec_input',
]);

/** Tables with a numeric fallback (…_WITH_FALLBACK): a plain number is accepted too. */
export const NUMERIC_ENUM_PARSERS = new Set([
  'config_parse_exec_io_class',
  'config_parse_exec_cpu_sched_policy',
  'config_parse_log_level',
  'config_parse_log_facility',
  'config_parse_ip_tos',
]);

/**
 * Values systemd accepts that documentation-derived lists tend to omit: legacy names kept for
 * compatibility and table entries that only make sense with a prefix form.
 */
export const EXTRA_ENUM_VALUES: Readonly<Record<string, readonly string[]>> = {
  // "syslog"/"syslog+console" are obsolete but still accepted (mapped to journal); the plain
  // "fd", "file", "append", "truncate" are table entries too.
  config_parse_exec_output: ['inherit', 'null', 'tty', 'journal', 'kmsg', 'journal+console', 'kmsg+console', 'socket', 'syslog', 'syslog+console', 'fd', 'file', 'append', 'truncate', 'fd:', 'file:', 'append:', 'truncate:'],
  config_parse_exec_input: ['null', 'tty', 'tty-force', 'tty-fail', 'socket', 'fd', 'data', 'file', 'fd:', 'file:'],
  config_parse_socket_timestamping: ['off', 'us', 'usec', '\u00b5s', '\u03bcs', 'ns', 'nsec'],
};

const KNOWN_ENUM_PARSERS = new Set([...PLAIN_ENUM_PARSERS, ...BOOLEAN_ENUM_PARSERS, ...NUMERIC_ENUM_PARSERS]);

/** Prefix forms whose remainder is a path that must be absolute (after specifier expansion). */
const PATH_PREFIXES = new Set(['file:', 'append:', 'truncate:']);

/** Whether any boolean word is accepted: known from the parser, else guessed from the list. */
export function enumAcceptsBooleans(values: readonly string[], parser?: string, declared?: boolean): boolean {
  if (declared === true) return true;
  if (parser !== undefined && BOOLEAN_ENUM_PARSERS.has(parser)) return true;
  if (parser !== undefined && (PLAIN_ENUM_PARSERS.has(parser) || NUMERIC_ENUM_PARSERS.has(parser))) return false;
  return values.some(isBooleanWord);
}

interface EnumSpec {
  values: string[];
  prefixes: string[];
  booleans: boolean;
  numbers: boolean;
}

function enumSpec(info: ValueCheckInfo | undefined): EnumSpec {
  const parser = info?.parser;
  const extra = parser !== undefined ? (EXTRA_ENUM_VALUES[parser] ?? []) : [];
  const all = [...new Set([...(info?.enumValues ?? []), ...extra])];
  const values = all.filter((v) => !v.endsWith(':'));
  const prefixes = [...new Set([...(info?.enumPrefixes ?? []), ...all.filter((v) => v.endsWith(':'))])];
  return {
    values,
    prefixes,
    booleans: enumAcceptsBooleans(values, parser, info?.enumBooleans),
    numbers: parser !== undefined && NUMERIC_ENUM_PARSERS.has(parser),
  };
}

/** Whether the (stripped) value matches the enumeration exactly as systemd's lookup would. */
export function enumAccepts(value: string, info: ValueCheckInfo | undefined): boolean {
  return accepts(value, enumSpec(info));
}

function accepts(value: string, spec: EnumSpec): boolean {
  if (spec.values.includes(value)) return true;
  if (spec.prefixes.some((p) => value.startsWith(p))) return true;
  if (spec.booleans && isBooleanWord(value)) return true;
  if (spec.numbers && safeAtou(value, { max: UINT32_MAX }).ok) return true;
  return false;
}

export function checkEnum(value: string, info: ValueCheckInfo | undefined): ValueProblem[] {
  const [vs, ve] = trimBounds(value);
  if (vs === ve) return [];
  if ((info?.enumValues ?? []).length === 0 || info?.exclusiveValues === false) return [];
  const spec = enumSpec(info);
  const s = value.slice(vs, ve);
  if (accepts(s, spec)) {
    // "file:relative/path" is refused by config_parse_exec_output/input: check the path part.
    const prefix = spec.prefixes.find((p) => s.startsWith(p) && PATH_PREFIXES.has(p));
    if (prefix !== undefined && !spec.values.includes(s)) {
      return checkPathValue(s.slice(prefix.length), { parser: 'config_parse_unit_path_printf' }, true).map((p) =>
        p.length === 0 ? { offset: vs, length: s.length, message: p.message } : { ...p, offset: p.offset + vs + prefix.length },
      );
    }
    if (s.startsWith('fd:') && spec.prefixes.includes('fd:')) {
      // fdname_is_valid(): printable ASCII without ":", at most 255 characters (empty is fine).
      const name = s.slice(3);
      if (name.includes('%')) return [];
      const bad = [...name].findIndex((c) => c < ' ' || c > '~' || c === ':');
      if (bad >= 0 || name.length > 255) {
        return [{ offset: vs + 3, length: name.length, message: `${quote(name)} is not a valid file descriptor name: use printable ASCII without ":" (at most 255 characters), as in FileDescriptorName=.` }];
      }
    }
    return [];
  }
  // Known enum parsers never expand specifiers outside their prefix forms ("Type=%i" is refused);
  // for an unknown parser a value with "%" is left alone.
  if (s.includes('%') && !(info?.parser !== undefined && KNOWN_ENUM_PARSERS.has(info.parser))) return [];
  const display = [...spec.values.filter((v) => !EXTRA_HIDDEN.has(v)), ...spec.prefixes.filter((p) => p !== 'fd:').map((p) => `${p}…`)];
  let suggestion = didYouMean(s, spec.values);
  if (suggestion === undefined && spec.values.includes(s.toLowerCase())) suggestion = s.toLowerCase();
  if (suggestion === undefined && !spec.booleans && isBooleanWord(s) && spec.values.includes('no') && parseBoolean(s) === false) suggestion = 'no';
  const boolNote = spec.booleans && !spec.values.some((v) => BOOLEAN_WORDS.includes(v)) ? ' (or yes/no)' : '';
  const mean = suggestion !== undefined ? ` Did you mean ${quote(suggestion)}?` : '';
  return whole(value, `${quote(s)} is not a valid value: use ${listWords(display, 16)}${boolNote}.${mean}`, suggestion);
}

/** Accepted but not worth advertising in messages (legacy spellings and argument-less forms). */
const EXTRA_HIDDEN = new Set(['syslog', 'syslog+console', 'file', 'append', 'truncate']);
