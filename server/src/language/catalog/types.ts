// Shapes of the generated directive catalog (catalog.generated.json, made by
// scripts/generate-catalog.ts from systemd's own tables) and of value kinds.
import type { UnitType } from '../unitFile/unitName';

/**
 * How a directive's value is checked. Each kind corresponds to one or more of systemd's
 * `config_parse_*` functions whose accepted syntax we reproduce exactly; anything we cannot
 * reproduce exactly is `string` (never checked), because a false alarm is worse than a miss.
 */
export type ValueKind =
  | 'string' // unchecked
  | 'boolean' // config_parse_bool: 1 yes y true t on / 0 no n false f off (case-insensitive)
  | 'tristate' // config_parse_tristate: boolean, or empty to reset
  | 'timespan' // config_parse_sec & co.: "5min 20s", "infinity", plain number = seconds
  | 'timespan-nsec' // config_parse_nsec: plain number = nanoseconds
  | 'unsigned' // config_parse_unsigned & friends: decimal unsigned integer
  | 'integer' // signed decimal integer
  | 'mode' // config_parse_mode: octal file mode up to 07777
  | 'size' // config_parse_iec_size & co.: bytes with K M G T P E (base 1024)
  | 'memory-limit' // config_parse_memory_limit: size, percentage, "infinity"
  | 'signal' // config_parse_signal: SIGTERM, TERM, or a number
  | 'enum' // the value must be one of `enumValues`
  | 'unit-list' // config_parse_unit_deps: whitespace-separated unit names
  | 'unit' // a single unit name (Timer.Unit=, Socket.Service=, …)
  | 'absolute-path' // a path that must be absolute
  | 'command'; // config_parse_exec: a command line with prefixes

export interface DirectiveInfo {
  name: string;
  /** Section the directive belongs to (never `*`: wildcard rows are expanded). */
  section: string;
  /** systemd's parser for the key, e.g. `config_parse_sec`; `NULL` for [Install]. */
  parser: string;
  kind: ValueKind;
  /** For `enum` (exclusive) or as completion suggestions when `exclusiveValues` is false. */
  enumValues?: string[];
  exclusiveValues?: boolean;
  /**
   * For `enum`: a value that starts with one of these prefixes is accepted too; the text after the
   * prefix is an argument (StandardOutput=`file:`/var/log/x.log, `fd:`name). The argument rules are the
   * directive's own (file:/append:/truncate: need an absolute path, possibly after specifiers).
   */
  enumPrefixes?: string[];
  /**
   * For `enum`: every boolean spelling config_parse_bool accepts (1 yes y true t on / 0 no n false f off,
   * case-insensitive) is accepted as well, e.g. ProtectSystem=true. `yes`/`no` are also in enumValues.
   */
  enumBooleans?: boolean;
  /** Obsolete values systemd still accepts and rewrites (value → current value), e.g. StandardOutput=syslog → journal. Also in enumValues. */
  deprecatedValues?: Record<string, string>;
  /** True when repeated assignments accumulate (lists); false when the last one wins. */
  multiple: boolean;
  /** systemd accepts the key but ignores it (DISABLED_LEGACY): the setting has no effect. */
  ignored?: boolean;
  /** Still works but has a newer name or section; `replacement` names it (e.g. "MemoryMax" or "Unit.StartLimitIntervalSec"). */
  deprecated?: boolean;
  replacement?: string;
  /** First systemd version that knows the directive, when known. */
  since?: string;
  docUrl?: string;
}

export interface SectionInfo {
  name: string;
  /** Unit types whose files may contain this section. */
  unitTypes: UnitType[];
  directives: Record<string, DirectiveInfo>;
}

export interface Catalog {
  /** e.g. "systemd v258 (gperf table at commit 00f37365…)". */
  systemdVersion: string;
  sources: string[];
  sections: Record<string, SectionInfo>;
  /** Sections valid in each unit type, e.g. service → Unit, Service, Install. */
  unitTypeSections: Record<UnitType, string[]>;
}
