// Generates server/src/language/catalog/catalog.generated.json, the directive catalog of the language
// server, from systemd's own key table and a directive index (both in <repo>/../shared/data/systemd/,
// described in the README there):
//
//   load-fragment-gperf.gperf.in  systemd's table of unit-file keys (Section.Key, parser, ltype, field),
//                                 a Jinja template; it decides WHICH keys exist in WHICH section.
//   directives.tsv                since-versions, documentation links, value suggestions, list flags.
//
// The value kinds, enumerations, list-ness and deprecations are decided here, from the parser named
// in the table, by hand-written tables below (one comment per decision). Output is deterministic:
// sections in a fixed order, directives sorted by name, keys of each object in a fixed order.
//
// Run: npm run generate:catalog        Check only (exit 1 when the committed file is stale): --check
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Catalog, DirectiveInfo, SectionInfo, ValueKind } from '../server/src/language/catalog/types';
import { UNIT_TYPES, type UnitType } from '../server/src/language/unitFile/unitName';

export const REPO_ROOT = path.resolve(__dirname, '..');
/** shared/ lives beside the repository: `<repo>/../shared/data/systemd`. */
export const DEFAULT_DATA_DIR = process.env.UNIT_FLEET_SYSTEMD_DATA ?? path.resolve(REPO_ROOT, '..', 'shared', 'data', 'systemd');
export const OUTPUT_FILE = path.join(REPO_ROOT, 'server', 'src', 'language', 'catalog', 'catalog.generated.json');

const GPERF_FILE = 'load-fragment-gperf.gperf.in';
const TSV_FILE = 'directives.tsv';
const GPERF_COMMIT = '00f37365f9f8acf9992f9a54f756e4a036df472e';
const REGISTRY_COMMIT = '853f772dc7a6f469187098f706831f1b5622ab94';
/** Newest release whose every key the table contains (the data README: everything dated ≤ v258). */
const TABLE_VERSION = 258;

// ---------------------------------------------------------------------------------------------
// Sections and unit types

/** Output order of the sections. Target and Device have no keys but are sections systemd knows. */
const SECTION_ORDER = ['Unit', 'Service', 'Socket', 'Mount', 'Automount', 'Swap', 'Path', 'Timer', 'Slice', 'Scope', 'Target', 'Device', 'Install'];

/**
 * The type-specific section of each unit type. systemd's unit vtables list the sections each type
 * reads ("Unit\0Service\0Install\0" …). target and device units have a [Target]/[Device] section
 * with no keys at all (systemd 252 reports "Unknown key 'X' in section [Target]", not "Unknown
 * section"), so an empty [Target] in a .target is valid while any key in it is unknown.
 */
const TYPE_SECTION: Record<UnitType, string> = {
  service: 'Service',
  socket: 'Socket',
  device: 'Device',
  mount: 'Mount',
  automount: 'Automount',
  swap: 'Swap',
  target: 'Target',
  path: 'Path',
  timer: 'Timer',
  slice: 'Slice',
  scope: 'Scope',
};

/** Which template macro (context) applies to which sections, as the data README states; checked against the table. */
const MACRO_SECTIONS: Record<string, string[]> = {
  EXEC_CONTEXT_CONFIG_ITEMS: ['Service', 'Socket', 'Mount', 'Swap'],
  KILL_CONTEXT_CONFIG_ITEMS: ['Service', 'Socket', 'Mount', 'Swap', 'Scope'],
  CGROUP_CONTEXT_CONFIG_ITEMS: ['Service', 'Socket', 'Mount', 'Swap', 'Slice', 'Scope'],
};
/** Man page that documents each context's keys (for constructed documentation links). */
const MACRO_MAN: Record<string, string> = {
  EXEC_CONTEXT_CONFIG_ITEMS: 'systemd.exec',
  KILL_CONTEXT_CONFIG_ITEMS: 'systemd.kill',
  CGROUP_CONTEXT_CONFIG_ITEMS: 'systemd.resource-control',
};

// ---------------------------------------------------------------------------------------------
// Parsers → value kind and list-ness

interface ParserRule {
  kind: ValueKind;
  /** Repeated assignments accumulate (true) or the last one wins (false). */
  multiple: boolean;
}
const P = (kind: ValueKind, multiple = false): ParserRule => ({ kind, multiple });
const LIST: ParserRule = P('string', true);
const TEXT: ParserRule = P('string');

/**
 * Every parser the table uses must be listed (the script fails otherwise, so a new table forces a
 * review). A checked kind is used only where the accepted syntax is known exactly; the notes record
 * what was verified against systemd 252 (`systemd-analyze verify`) where it matters. When in doubt a
 * parser is 'string', and a list (`multiple: true`) because a list taken for a single value would
 * raise false "given twice" alarms.
 */
const PARSERS: Record<string, ParserRule> = {
  // [Install] keys have no parser in the manager (it ignores the section); see INSTALL below.
  NULL: TEXT,
  // Accepted but ignored (DISABLED_LEGACY / DISABLED_CONFIGURATION); `ignored` carries the meaning.
  config_parse_warn_compat: LIST,

  // --- booleans and tristates
  config_parse_bool: P('boolean'), // parse_boolean, case-insensitive (PrivateNetwork=Yes/TRUE/On/1 accepted by 252)
  config_parse_job_mode_isolate: P('boolean'), // OnFailureIsolate=: a boolean mapped to a job mode
  config_parse_tristate: P('tristate'), // boolean, or empty to reset

  // --- time spans: all of these call parse_sec()/parse_sec_fix_0(), the same syntax ("5min 20s",
  // "1.5s", "infinity", a plain number = seconds; unit names are case-sensitive: 5MIN is refused);
  // they differ only in what 0 or empty means.
  config_parse_sec: P('timespan'),
  config_parse_sec_fix_0: P('timespan'), // 0 means "no timeout"
  config_parse_sec_def_infinity: P('timespan'), // empty means infinity
  config_parse_job_timeout_sec: P('timespan'), // parse_sec_fix_0
  config_parse_job_running_timeout_sec: P('timespan'), // parse_sec_fix_0
  config_parse_service_timeout: P('timespan'), // TimeoutSec=/TimeoutStartSec=: parse_sec_fix_0
  config_parse_service_timeout_abort: P('timespan'), // empty resets, else parse_sec
  config_parse_managed_oom_mem_pressure_duration_sec: P('timespan'), // empty resets, else parse_sec (≥ 1s)
  config_parse_nsec: P('timespan-nsec'), // TimerSlackNSec=: parse_nsec, a plain number = nanoseconds
  // config_parse_timer: decided per key (OnCalendar= is a calendar spec); see TIMER_KEYS.
  config_parse_timer: P('timespan', true),

  // --- numbers. safe_atou()/safe_atoi() use strtoul/strtol base 0: "0x10" and "010" are accepted
  // (verified with 252), a sign "+5" too; "1e3", "1_000" and "-1" (unsigned) are refused.
  config_parse_unsigned: P('unsigned'),
  config_parse_tty_size: P('unsigned'), // TTYRows=/TTYColumns=: safe_atou, empty resets (the registry's "size" is wrong)
  config_parse_cg_weight: P('unsigned'), // IOWeight=: safe_atou64 in 1…10000, empty resets
  config_parse_int: P('integer'),
  config_parse_long: P('integer'),
  config_parse_exec_nice: P('integer'), // -20…19
  config_parse_exec_oom_score_adjust: P('integer'), // -1000…1000
  config_parse_exec_cpu_sched_prio: P('integer'), // 0…99
  config_parse_exec_io_priority: P('integer'), // 0…7, empty resets
  config_parse_swap_priority: P('integer'), // -1…32767
  config_parse_cg_cpu_weight: TEXT, // CPUWeight= also accepts "idle"
  config_parse_concurrency_max: TEXT, // number or "infinity"
  config_parse_tasks_max: TEXT, // number, percentage or "infinity"
  config_parse_cpu_quota: TEXT, // percentage
  config_parse_exit_status: TEXT, // 0…255 (kept unchecked)
  config_parse_managed_oom_mem_pressure_limit: TEXT, // percentage

  // --- modes, sizes, limits, signals
  config_parse_mode: P('mode'), // parse_mode: octal ≤ 07777 (0x1, 8 and 17777 refused by 252)
  config_parse_iec_size: P('size'), // parse_size(…, 1024): B K M G T P E, fractions; "1k" and "1KiB" refused by 252
  config_parse_memory_limit: P('memory-limit'), // size, "infinity", percentage (also ‰ and ‱); "1g"/"1GiB" refused
  config_parse_signal: P('signal'), // SIGTERM, TERM, 15, RTMIN+3; case-sensitive ("sigterm" refused)
  config_parse_rlimit: TEXT, // "soft:hard", infinity, sizes or times depending on the limit

  // --- enumerations (values in ENUMS below)
  config_parse_service_type: P('enum'),
  config_parse_service_exit_type: P('enum'),
  config_parse_service_restart: P('enum'),
  config_parse_service_restart_mode: P('enum'),
  config_parse_service_timeout_failure_mode: P('enum'),
  config_parse_notify_access: P('enum'),
  config_parse_oom_policy: P('enum'),
  config_parse_exec_preserve_mode: P('enum'),
  config_parse_collect_mode: P('enum'),
  config_parse_job_mode: P('enum'),
  config_parse_emergency_action: P('enum'),
  config_parse_kill_mode: P('enum'),
  config_parse_exec_input: P('enum'),
  config_parse_exec_output: P('enum'),
  config_parse_exec_utmp_mode: P('enum'),
  config_parse_exec_keyring_mode: P('enum'),
  config_parse_protect_proc: P('enum'),
  config_parse_proc_subset: P('enum'),
  config_parse_exec_mount_propagation_flag: P('enum'),
  config_parse_device_policy: P('enum'),
  config_parse_managed_oom_mode: P('enum'),
  config_parse_managed_oom_preference: P('enum'),
  config_parse_numa_policy: P('enum'),
  config_parse_protect_system: P('enum'),
  config_parse_protect_home: P('enum'),
  config_parse_protect_control_groups: P('enum'),
  config_parse_socket_bind: P('enum'),
  // Enumeration-like, but with forms we do not reproduce exactly: suggestions only (SUGGESTIONS).
  config_parse_exec_cpu_sched_policy: TEXT, // names or a number
  config_parse_exec_io_class: TEXT, // names or a number
  config_parse_log_level: TEXT, // names or a number
  config_parse_log_facility: TEXT, // names or a number
  config_parse_ip_tos: TEXT, // names or a number
  config_parse_socket_protocol: TEXT, // protocol names (case-insensitive in 252: "SCTP" accepted)
  config_parse_socket_timestamping: TEXT, // names, aliases and booleans
  config_parse_socket_defer_trigger: TEXT, // boolean or "patient"
  config_parse_private_tmp: TEXT, // boolean or "disconnected" (v257+)
  config_parse_private_users: TEXT, // boolean or self/identity/full/managed (grew over versions)
  config_parse_private_pids: TEXT,
  config_parse_private_bpf: TEXT,
  config_parse_protect_hostname: TEXT, // boolean, "private", optionally ":hostname"
  config_parse_memory_pressure_watch: TEXT,
  config_parse_personality: TEXT,

  // --- unit names
  config_parse_unit_deps: P('unit-list', true), // whitespace-separated unit names, specifiers expanded
  config_parse_obsolete_unit_deps: P('unit-list', true), // RequiresOverridable=: treated as Requires=
  config_parse_service_sockets: P('unit-list', true), // Sockets=: socket unit names
  config_parse_trigger_unit: P('unit'), // Timer.Unit=/Path.Unit=
  config_parse_socket_service: P('unit'), // Socket.Service=: must be a .service (252: "Unit must be of type service")
  config_parse_unit_slice: P('unit'), // Slice=: must be a .slice

  // --- paths. config_parse_path() always requires an absolute path (PATH_CHECK_ABSOLUTE), whatever
  // ltype says (ltype only makes the error fatal); 252 refuses relative TTYPath=, NetworkNamespacePath=,
  // USBFunctionDescriptors=, RootDirectory= (fatally), Mount/Automount Where=, PathExists=.
  config_parse_unit_path_printf: P('absolute-path'),
  config_parse_path_spec: P('absolute-path', true), // PathExists= & co.
  config_parse_unit_path_strv_printf: LIST, // Symlinks=: several absolute paths on one line
  config_parse_working_directory: TEXT, // "~", "-" prefix
  config_parse_pid_file: TEXT, // relative paths are taken below /run
  config_parse_mount_node: TEXT, // What=: device, path or "LABEL=…"
  config_parse_colon_separated_paths: LIST,
  config_parse_namespace_path_strv: LIST,
  config_parse_bind_paths: LIST,
  config_parse_temporary_filesystems: LIST,
  config_parse_exec_directories: LIST,
  config_parse_unit_mounts_for: LIST,
  config_parse_unit_env_file: LIST,

  // --- commands
  config_parse_exec: P('command', true),

  // --- other single values
  config_parse_string: TEXT,
  config_parse_unit_string_printf: TEXT,
  config_parse_reboot_parameter: TEXT,
  config_parse_user_group_compat: TEXT,
  config_parse_bus_name: TEXT,
  config_parse_fdname: TEXT,
  config_parse_socket_bindtodevice: TEXT,
  config_parse_log_namespace: TEXT,
  config_parse_image_policy: TEXT,
  config_parse_exec_root_hash: TEXT,
  config_parse_exec_root_hash_sig: TEXT,
  config_parse_exec_quota: TEXT,
  config_parse_exec_selinux_context: TEXT,
  config_parse_exec_apparmor_profile: TEXT,
  config_parse_exec_smack_process_label: TEXT,
  config_parse_syscall_errno: TEXT,
  config_parse_delegate_subgroup: TEXT,

  // --- lists (accumulate; an empty assignment resets most of them)
  config_parse_documentation: LIST,
  config_parse_environ: LIST,
  config_parse_pass_environ: LIST,
  config_parse_unset_environ: LIST,
  config_parse_user_group_strv_compat: LIST,
  config_parse_capability_set: LIST,
  config_parse_exec_secure_bits: LIST,
  config_parse_syscall_filter: LIST,
  config_parse_syscall_archs: LIST,
  config_parse_syscall_log: LIST,
  config_parse_address_families: LIST,
  config_parse_namespace_flags: LIST,
  config_parse_restrict_filesystems: LIST,
  config_parse_restrict_network_interfaces: LIST,
  config_parse_set_credential: LIST,
  config_parse_load_credential: LIST,
  config_parse_import_credential: LIST,
  config_parse_log_extra_fields: LIST,
  config_parse_log_filter_patterns: LIST,
  config_parse_exec_cpu_affinity: LIST, // masks are merged
  config_parse_numa_mask: LIST, // parse_cpu_set_extend: masks are merged
  config_parse_unit_cpu_set: LIST, // AllowedCPUs= & co.: merged
  config_parse_exec_coredump_filter: LIST,
  config_parse_exec_input_text: LIST, // StandardInputText=: lines are concatenated
  config_parse_exec_input_data: LIST, // StandardInputData=: data is concatenated
  config_parse_extension_images: LIST,
  config_parse_mount_images: LIST,
  config_parse_root_image_options: LIST,
  config_parse_open_file: LIST,
  config_parse_set_status: LIST,
  config_parse_device_allow: LIST,
  config_parse_io_device_weight: LIST,
  config_parse_io_device_latency: LIST,
  config_parse_io_limit: LIST,
  config_parse_delegate: LIST, // boolean or controller lists, merged
  config_parse_disable_controllers: LIST,
  config_parse_in_addr_prefixes: LIST,
  config_parse_ip_filter_bpf_progs: LIST,
  config_parse_bpf_foreign_program: LIST,
  config_parse_cgroup_socket_bind: LIST,
  config_parse_cgroup_nft_set: LIST,
  config_parse_bpf_delegate_commands: LIST,
  config_parse_bpf_delegate_maps: LIST,
  config_parse_bpf_delegate_programs: LIST,
  config_parse_bpf_delegate_attachments: LIST,
  config_parse_unit_condition_path: LIST,
  config_parse_unit_condition_string: LIST,
  config_parse_socket_listen: LIST,
};

/** Timer values: OnCalendar= is a calendar expression; the others are time spans (after specifier expansion). */
const TIMER_CALENDAR_KEYS = new Set(['OnCalendar']);

/** [Install] keys (no manager parser; systemctl reads them). Alias/WantedBy/RequiredBy/UpheldBy/Also hold unit names. */
const INSTALL: Record<string, ParserRule> = {
  Alias: P('unit-list', true),
  WantedBy: P('unit-list', true),
  RequiredBy: P('unit-list', true),
  UpheldBy: P('unit-list', true),
  Also: P('unit-list', true),
  DefaultInstance: TEXT,
};

// ---------------------------------------------------------------------------------------------
// Enumerations: what systemd accepts, by parser (string tables are case-sensitive)

interface EnumSpec {
  values: string[];
  /** Forms with an argument, e.g. "file:" (see DirectiveInfo.enumPrefixes). */
  prefixes?: string[];
  /** Boolean spellings are accepted too (DEFINE_STRING_TABLE_LOOKUP_WITH_BOOLEAN and the like). */
  booleans?: boolean;
  /** Obsolete spellings still accepted: value → what systemd turns it into. */
  deprecated?: Record<string, string>;
}

const EMERGENCY_ACTIONS = [
  'none',
  'reboot',
  'reboot-force',
  'reboot-immediate',
  'poweroff',
  'poweroff-force',
  'poweroff-immediate',
  'exit',
  'exit-force',
  'soft-reboot',
  'soft-reboot-force',
  'kexec',
  'kexec-force',
  'halt',
  'halt-force',
  'halt-immediate',
];

const ENUMS: Record<string, EnumSpec> = {
  config_parse_service_type: { values: ['simple', 'exec', 'forking', 'oneshot', 'dbus', 'notify', 'notify-reload', 'idle'] },
  config_parse_service_exit_type: { values: ['main', 'cgroup'] },
  config_parse_service_restart: { values: ['no', 'on-success', 'on-failure', 'on-abnormal', 'on-watchdog', 'on-abort', 'always'] },
  // RestartMode=: normal and direct (v254), debug (v257).
  config_parse_service_restart_mode: { values: ['normal', 'direct', 'debug'] },
  config_parse_service_timeout_failure_mode: { values: ['terminate', 'abort', 'kill'] },
  config_parse_notify_access: { values: ['none', 'main', 'exec', 'all'] },
  config_parse_oom_policy: { values: ['continue', 'stop', 'kill'] },
  // RuntimeDirectoryPreserve=/FileDescriptorStorePreserve=: string table with boolean fallback.
  config_parse_exec_preserve_mode: { values: ['no', 'yes', 'restart'], booleans: true },
  config_parse_collect_mode: { values: ['inactive', 'inactive-or-failed'] },
  // job_mode_from_string(): the whole job-mode table (lenient is newer than 252; accepting it costs nothing).
  config_parse_job_mode: {
    values: ['fail', 'replace', 'replace-irreversibly', 'isolate', 'flush', 'ignore-dependencies', 'ignore-requirements', 'triggering', 'restart-dependencies', 'lenient'],
  },
  config_parse_emergency_action: { values: EMERGENCY_ACTIONS },
  // KillMode=none still parses (with a warning that it is unsafe and deprecated).
  config_parse_kill_mode: { values: ['control-group', 'process', 'mixed', 'none'] },
  // StandardInput=: "fd" alone means fd:stdin; file:PATH needs an absolute path.
  config_parse_exec_input: { values: ['null', 'tty', 'tty-force', 'tty-fail', 'socket', 'data', 'fd'], prefixes: ['fd:', 'file:'] },
  // StandardOutput=/StandardError=: "fd" alone means fd:stdout/fd:stderr; file:/append:/truncate: need an
  // absolute path. The bare words file/append/truncate pass the string table but leave no path: not listed.
  // syslog and syslog+console are rewritten to journal/journal+console with a notice (since v246).
  config_parse_exec_output: {
    values: ['inherit', 'null', 'tty', 'journal', 'kmsg', 'journal+console', 'kmsg+console', 'socket', 'fd', 'syslog', 'syslog+console'],
    prefixes: ['fd:', 'file:', 'append:', 'truncate:'],
    deprecated: { syslog: 'journal', 'syslog+console': 'journal+console' },
  },
  config_parse_exec_utmp_mode: { values: ['init', 'login', 'user'] },
  config_parse_exec_keyring_mode: { values: ['inherit', 'private', 'shared'] },
  config_parse_protect_proc: { values: ['noaccess', 'invisible', 'ptraceable', 'default'] },
  config_parse_proc_subset: { values: ['all', 'pid'] },
  // MountFlags=: exactly these three (252 refuses "rshared").
  config_parse_exec_mount_propagation_flag: { values: ['shared', 'slave', 'private'] },
  config_parse_device_policy: { values: ['auto', 'closed', 'strict'] },
  config_parse_managed_oom_mode: { values: ['auto', 'kill'] },
  config_parse_managed_oom_preference: { values: ['none', 'avoid', 'omit'] },
  // NUMAPolicy=: preferred-many is newer than the table (the data README: not even in v261).
  config_parse_numa_policy: { values: ['default', 'preferred', 'bind', 'interleave', 'local'] },
  config_parse_protect_system: { values: ['no', 'yes', 'full', 'strict'], booleans: true },
  config_parse_protect_home: { values: ['no', 'yes', 'read-only', 'tmpfs'], booleans: true },
  // ProtectControlGroups=: a boolean up to v256, private/strict since v257.
  config_parse_protect_control_groups: { values: ['no', 'yes', 'private', 'strict'], booleans: true },
  // BindIPv6Only=: the table, else a boolean (case-sensitive table: 252 refuses "Both").
  config_parse_socket_bind: { values: ['default', 'both', 'ipv6-only'], booleans: true },
};

/** Completion suggestions for unchecked keys (exclusiveValues: false), by parser. */
const SUGGESTIONS: Record<string, string[]> = {
  config_parse_exec_cpu_sched_policy: ['other', 'batch', 'idle', 'fifo', 'rr', 'ext'],
  config_parse_exec_io_class: ['none', 'realtime', 'best-effort', 'idle'],
  config_parse_log_level: ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'],
  config_parse_ip_tos: ['low-delay', 'throughput', 'reliability', 'low-cost'],
  config_parse_socket_protocol: ['udplite', 'sctp', 'mptcp'],
  config_parse_socket_defer_trigger: ['yes', 'no', 'patient'],
  config_parse_private_tmp: ['yes', 'no', 'disconnected'],
  config_parse_private_users: ['yes', 'no', 'self', 'identity', 'full', 'managed'],
  config_parse_private_pids: ['yes', 'no'],
  config_parse_private_bpf: ['yes', 'no'],
  config_parse_protect_hostname: ['yes', 'no', 'private'],
  config_parse_memory_pressure_watch: ['auto', 'on', 'off', 'skip'],
  config_parse_cg_cpu_weight: ['idle'],
  config_parse_tasks_max: ['infinity'],
  config_parse_concurrency_max: ['infinity'],
};

/**
 * directives.tsv suggestion lists that are not values (operators, placeholders, format parts): dropped.
 * Boolean keys drop theirs too (the kind says it all).
 */
const DROP_TSV_SUGGESTIONS = new Set([
  'ConditionCPUs',
  'ConditionMemory',
  'ConditionFirmware',
  'ConditionKernelVersion',
  'ConditionVersion',
  'ConditionUser',
  'OpenFile',
]);

// ---------------------------------------------------------------------------------------------
// Deprecated and ignored keys

interface Deprecation {
  /** A key name ("MemoryMax"), "Section.Key" for a move, or prose containing "=". */
  replacement?: string;
}

/**
 * Compatibility names that systemd still parses (the setting works) but that have a newer name or
 * place. Keyed "Section.Key"; "*.Key" applies in every section that has the key.
 */
const DEPRECATED: Record<string, Deprecation> = {
  // Old spelling of BindsTo= (renamed in v201); same parser, same dependency.
  'Unit.BindTo': { replacement: 'BindsTo' },
  // Old spellings of PropagatesReloadTo=/ReloadPropagatedFrom= (renamed in v201).
  'Unit.PropagateReloadTo': { replacement: 'PropagatesReloadTo' },
  'Unit.PropagateReloadFrom': { replacement: 'ReloadPropagatedFrom' },
  // "legacy alias name for compatibility" in the table; StartLimitIntervalSec= since v229.
  'Unit.StartLimitInterval': { replacement: 'StartLimitIntervalSec' },
  // "legacy alias name for compatibility": sets OnFailureJobMode= to isolate.
  'Unit.OnFailureIsolate': { replacement: 'OnFailureJobMode=isolate' },
  // config_parse_obsolete_unit_deps: warns that the setting is obsolete and adds a plain Requires=/Requisite=.
  'Unit.RequiresOverridable': { replacement: 'Requires' },
  'Unit.RequisiteOverridable': { replacement: 'Requisite' },
  // "only exist for compatibility, they moved into Unit" (v229): same fields as the [Unit] keys.
  'Service.StartLimitInterval': { replacement: 'Unit.StartLimitIntervalSec' },
  'Service.StartLimitBurst': { replacement: 'Unit.StartLimitBurst' },
  'Service.StartLimitAction': { replacement: 'Unit.StartLimitAction' },
  'Service.FailureAction': { replacement: 'Unit.FailureAction' },
  'Service.RebootArgument': { replacement: 'Unit.RebootArgument' },
  // Deprecated since v240 in favour of the "+" (full privileges) command prefix.
  'Service.PermissionsStartOnly': { replacement: 'the "+" prefix on the commands that need full privileges (e.g. ExecStartPre=+/usr/bin/…)' },
  // Renamed in v231 (…Directories= → …Paths=); the old names share the parser and the field.
  '*.ReadWriteDirectories': { replacement: 'ReadWritePaths' },
  '*.ReadOnlyDirectories': { replacement: 'ReadOnlyPaths' },
  '*.InaccessibleDirectories': { replacement: 'InaccessiblePaths' },
};

/**
 * What replaces each DISABLED_LEGACY key (accepted, ignored with a warning). The table decides which
 * keys are ignored; this only names the successor, where there is one.
 */
const IGNORED_REPLACEMENT: Record<string, string | undefined> = {
  Capabilities: 'CapabilityBoundingSet', // and AmbientCapabilities=
  CPUAccounting: undefined, // CPU accounting is always on
  CPUShares: 'CPUWeight',
  StartupCPUShares: 'StartupCPUWeight',
  MemoryLimit: 'MemoryMax',
  BlockIOAccounting: 'IOAccounting',
  BlockIOWeight: 'IOWeight',
  StartupBlockIOWeight: 'StartupIOWeight',
  BlockIODeviceWeight: 'IODeviceWeight',
  BlockIOReadBandwidth: 'IOReadBandwidthMax',
  BlockIOWriteBandwidth: 'IOWriteBandwidthMax',
  NetClass: undefined, // net_cls is gone; NFTSet= is the nearest thing
  IgnoreOnSnapshot: undefined, // snapshot units were removed
  SysVStartPriority: undefined, // ordering comes from After=/Before=
  BusPolicy: undefined, // kdbus was removed
};

/**
 * Keys newer than the table that directives.tsv places in an explicitly named section, in a released
 * version (≤ v261; the v262 rows are development-only). They are added so that units written for a
 * newer systemd get no false "unknown directive"; `since` tells which version. The parser is the one
 * of the key's twin (the condition and exec parsers are shared), or "" when not known.
 * The 10 newer `*` rows (UserNamespacePath, RootMStack, BindNetworkInterface, MemoryTHP,
 * CPUPressureWatch, IOPressureWatch, CPUPressureThresholdSec, IOPressureThresholdSec, CPUSetPartition,
 * OOMRules) are NOT added: without the table we cannot tell which sections take them.
 */
const NEWER_KEYS: Record<string, { parser: string; since: string }> = {
  'Service.ExecReloadPost': { parser: 'config_parse_exec', since: '259' },
  'Service.RefreshOnReload': { parser: '', since: '260' },
  'Unit.ConditionPathIsSocket': { parser: 'config_parse_unit_condition_path', since: '260' },
  'Unit.ConditionFraction': { parser: 'config_parse_unit_condition_string', since: '261' },
  'Unit.ConditionMachineTag': { parser: 'config_parse_unit_condition_string', since: '261' },
  // The registry dates these Assert twins 218, which is wrong (not in the v258 table); use the Condition dates.
  'Unit.AssertPathIsSocket': { parser: 'config_parse_unit_condition_path', since: '260' },
  'Unit.AssertFraction': { parser: 'config_parse_unit_condition_string', since: '261' },
  'Unit.AssertMachineTag': { parser: 'config_parse_unit_condition_string', since: '261' },
};
/**
 * Keys that systemd 252 does not know although directives.tsv dates them ≤ 252 or not at all (checked
 * with 252's own table: `systemd --dump-configuration-items` and `systemd-analyze verify`). Their
 * registry date is wrong, so it is dropped (no `since` beats a false one). The systemd test accepts
 * these as "newer than 252". Keyed "Section.Key" or "*.Key" (every section with the key).
 */
export const NOT_IN_252: Record<string, string> = {
  'Unit.AssertKernelModuleLoaded': 'registry says 218, the date of Assert… in general',
  'Unit.AssertVersion': 'registry says 218, the date of Assert… in general',
  '*.StartupMemoryHigh': 'registry says 231, the date of MemoryHigh=',
  '*.StartupMemoryLow': 'registry says 240, the date of MemoryLow=',
  '*.StartupMemoryMax': 'registry says 231, the date of MemoryMax=',
  '*.StartupMemorySwapMax': 'registry says 232, the date of MemorySwapMax=',
  '*.DefaultStartupMemoryLow': 'no date in the registry',
  '*.LandlockConfig': 'not in the registry at all (the table has it)',
  'Install.UpheldBy': 'registry says 201, the date of WantedBy=',
};
/** Registry dates after 252 for keys that systemd 252 already knows: dropped too. */
const SINCE_CONTRADICTED: Record<string, string> = {
  'Unit.ConditionSecurity': 'registry says 255 (a newer value, not the key)',
  'Scope.OOMPolicy': 'registry says 253',
};

/** directives.tsv rows that are not unit-file keys: udev properties documented in systemd.device(5). */
const UDEV_PROPERTIES = new Set(['ID_MODEL', 'ID_MODEL_FROM_DATABASE', 'SYSTEMD_ALIAS', 'SYSTEMD_READY', 'SYSTEMD_USER_WANTS', 'SYSTEMD_WANTS']);

// ---------------------------------------------------------------------------------------------
// Reading the inputs

export interface GperfEntry {
  section: string;
  name: string;
  parser: string;
  ltype: string;
  /** The template macro the entry came from, if any. */
  macro?: string;
}

/**
 * Expands the Jinja template: macro bodies are instantiated with {{type}} = the section, comments
 * ({# … #}) dropped, and of every {% if X %}…{% else %}…{% endif %} the first branch is kept (a build
 * with every option enabled; the else branches list the same keys as DISABLED_CONFIGURATION).
 */
export function parseGperf(text: string): GperfEntry[] {
  const macros = new Map<string, string[]>();
  const macroRe = /\{%-?\s*macro\s+(\w+)\((\w+)\)\s*-?%\}([\s\S]*?)\{%-?\s*endmacro\s*-?%\}/g;
  for (const m of text.matchAll(macroRe)) macros.set(m[1], m[3].split('\n'));
  const sep = text.search(/^%%$/m);
  if (sep < 0) throw new Error('gperf: no %% line');
  const mainLines = text.slice(sep + 3).split('\n');
  const entries: GperfEntry[] = [];

  const expand = (lines: string[], type: string | undefined, macro: string | undefined) => {
    const stack: boolean[] = []; // per open {% if %}: is the current branch kept?
    const active = () => stack.every(Boolean);
    for (const raw of lines) {
      const line = raw.trim();
      if (line === '' || /^\{#.*#\}$/.test(line)) continue;
      if (/^\{%-?\s*if\b/.test(line)) {
        stack.push(true);
        continue;
      }
      if (/^\{%-?\s*(else|elif)\b/.test(line)) {
        if (stack.length === 0) throw new Error(`gperf: stray ${line}`);
        stack[stack.length - 1] = false;
        continue;
      }
      if (/^\{%-?\s*endif\b/.test(line)) {
        if (stack.pop() === undefined) throw new Error(`gperf: stray ${line}`);
        continue;
      }
      if (!active()) continue;
      const call = /^\{\{\s*(\w+)\('(\w+)'\)\s*\}\}$/.exec(line);
      if (call) {
        const body = macros.get(call[1]);
        if (!body) throw new Error(`gperf: unknown macro ${call[1]}`);
        expand(body, call[2], call[1]);
        continue;
      }
      if (line.startsWith('{')) {
        if (line.startsWith('{{type}}') && type) {
          // a table line inside a macro body
        } else {
          throw new Error(`gperf: unexpected template line: ${line}`);
        }
      }
      const text2 = type ? line.replaceAll('{{type}}', type) : line;
      const fields = text2.split(',').map((f) => f.trim());
      const key = /^([A-Z][A-Za-z]*)\.([A-Za-z0-9]+)$/.exec(fields[0]);
      if (!key || fields.length < 4) throw new Error(`gperf: cannot read line: ${line}`);
      entries.push({ section: key[1], name: key[2], parser: fields[1], ltype: fields[2], macro });
    }
    if (stack.length) throw new Error('gperf: unterminated {% if %}');
  };
  expand(mainLines, undefined, undefined);
  return entries;
}

export interface TsvRow {
  section: string;
  name: string;
  valueType: string;
  since: string;
  flags: string[];
  docUrl: string;
  enumValues: string[];
}

export function parseTsv(text: string): TsvRow[] {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const header = lines.shift()?.split('\t');
  const expected = ['section', 'name', 'value_type', 'since_version', 'flags', 'doc_url', 'enum_values'];
  if (!header || header.join('\t') !== expected.join('\t')) throw new Error(`directives.tsv: unexpected header ${header?.join(',')}`);
  return lines.map((l) => {
    const c = l.split('\t');
    return {
      section: c[0],
      name: c[1],
      valueType: c[2],
      since: c[3] ?? '',
      flags: (c[4] ?? '').split(';').filter(Boolean),
      docUrl: c[5] ?? '',
      enumValues: (c[6] ?? '').split(',').filter(Boolean),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Building the catalog

function manPage(section: string, macro: string | undefined): string {
  if (macro) return MACRO_MAN[macro];
  return section === 'Unit' || section === 'Install' ? 'systemd.unit' : `systemd.${section.toLowerCase()}`;
}

function rule(entry: GperfEntry): ParserRule {
  if (entry.section === 'Install') {
    const r = INSTALL[entry.name];
    if (!r) throw new Error(`no rule for Install.${entry.name}`);
    return r;
  }
  if (entry.parser === '') return LIST; // a newer key whose parser is unknown: unchecked, and a list to be safe
  const r = PARSERS[entry.parser];
  if (!r) throw new Error(`no rule for parser ${entry.parser} (${entry.section}.${entry.name}): add it to PARSERS`);
  if (entry.parser === 'config_parse_timer') return TIMER_CALENDAR_KEYS.has(entry.name) ? LIST : r;
  return r;
}

export interface BuildResult {
  catalog: Catalog;
  /** Human-readable notes about decisions and disagreements with directives.tsv (printed by the CLI). */
  notes: string[];
}

export function buildCatalog(dataDir: string = DEFAULT_DATA_DIR): BuildResult {
  const gperf = parseGperf(readFileSync(path.join(dataDir, GPERF_FILE), 'utf8'));
  const tsv = parseTsv(readFileSync(path.join(dataDir, TSV_FILE), 'utf8'));
  const notes: string[] = [];

  // Check the macro → section expansion against the README's statement.
  const seen = new Map<string, Set<string>>();
  for (const e of gperf) if (e.macro) (seen.get(e.macro) ?? seen.set(e.macro, new Set()).get(e.macro)!).add(e.section);
  for (const [macro, sections] of Object.entries(MACRO_SECTIONS)) {
    const got = [...(seen.get(macro) ?? [])].sort().join(',');
    if (got !== [...sections].sort().join(',')) throw new Error(`${macro} expands into ${got}, expected ${sections.join(',')}`);
  }

  const exact = new Map<string, TsvRow>();
  const wildcard = new Map<string, TsvRow>();
  for (const r of tsv) (r.section === '*' ? wildcard : exact).set(r.section === '*' ? r.name : `${r.section}.${r.name}`, r);

  // Newer keys with an explicit section, added after the table's own.
  const entries: GperfEntry[] = [...gperf];
  for (const [id, k] of Object.entries(NEWER_KEYS)) {
    const [section, name] = id.split('.');
    if (gperf.some((e) => e.section === section && e.name === name)) throw new Error(`${id} is in the table now: drop it from NEWER_KEYS`);
    if (!exact.has(id)) throw new Error(`${id} is not in directives.tsv`);
    entries.push({ section, name, parser: k.parser, ltype: '0' });
  }

  const sections = new Map<string, SectionInfo>();
  for (const name of SECTION_ORDER) {
    const unitTypes =
      name === 'Unit' || name === 'Install' ? [...UNIT_TYPES] : UNIT_TYPES.filter((t) => TYPE_SECTION[t] === name);
    sections.set(name, { name, unitTypes, directives: {} });
  }

  const usedTsv = new Set<TsvRow>();
  for (const e of entries) {
    const section = sections.get(e.section);
    if (!section) throw new Error(`unknown section ${e.section}`);
    if (section.directives[e.name]) throw new Error(`duplicate key ${e.section}.${e.name}`);
    const row = exact.get(`${e.section}.${e.name}`) ?? wildcard.get(e.name);
    if (row) usedTsv.add(row);
    const r = rule(e);
    const id = `${e.section}.${e.name}`;
    const ignored = e.parser === 'config_parse_warn_compat' && e.ltype === 'DISABLED_LEGACY';
    if (e.parser === 'config_parse_warn_compat' && !ignored) throw new Error(`${id}: warn_compat with ${e.ltype} outside an else branch`);

    let kind = r.kind;
    let multiple = r.multiple;
    // List flags from the registry can only make a key a list (never the reverse).
    if (!multiple && row?.flags.some((f) => f === 'assign=append' || f === 'assign=append-no-reset')) {
      multiple = true;
      notes.push(`${id}: ${e.parser} is single-valued here but directives.tsv says it accumulates: taken as a list`);
    }

    const info: DirectiveInfo = { name: e.name, section: e.section, parser: e.parser, kind, multiple };

    const spec = ENUMS[e.parser];
    if (kind === 'enum') {
      if (!spec) throw new Error(`${id}: enum without values`);
      info.enumValues = [...spec.values];
      info.exclusiveValues = true;
      if (spec.prefixes) info.enumPrefixes = [...spec.prefixes];
      if (spec.booleans) info.enumBooleans = true;
      if (spec.deprecated) info.deprecatedValues = { ...spec.deprecated };
      const tsvValues = row?.enumValues ?? [];
      const extra = tsvValues.filter((v) => !spec.values.includes(v) && !spec.prefixes?.includes(v));
      if (extra.length) notes.push(`${id}: directives.tsv also lists ${extra.join(' ')} (not accepted by v${TABLE_VERSION}: left out)`);
    } else if (SUGGESTIONS[e.parser]) {
      info.enumValues = [...SUGGESTIONS[e.parser]];
      info.exclusiveValues = false;
    } else if (row && row.enumValues.length && kind !== 'boolean' && kind !== 'tristate' && !DROP_TSV_SUGGESTIONS.has(e.name) && !ignored) {
      info.enumValues = [...row.enumValues];
      info.exclusiveValues = false;
      if (row.flags.includes('exclusive_choices=true')) notes.push(`${id}: directives.tsv says exclusive, kept as suggestions (${e.parser})`);
    }

    if (ignored) {
      info.ignored = true;
      if (!(e.name in IGNORED_REPLACEMENT)) throw new Error(`${id}: DISABLED_LEGACY key missing from IGNORED_REPLACEMENT`);
      const repl = IGNORED_REPLACEMENT[e.name];
      if (repl) info.replacement = repl;
    }
    const dep = DEPRECATED[id] ?? DEPRECATED[`*.${e.name}`];
    if (dep && !ignored) {
      info.deprecated = true;
      if (dep.replacement) info.replacement = dep.replacement;
    }

    const dropSince = NOT_IN_252[id] ?? NOT_IN_252[`*.${e.name}`] ?? SINCE_CONTRADICTED[id];
    const since = NEWER_KEYS[id]?.since ?? (dropSince ? undefined : row?.since);
    if (since) info.since = since;
    info.docUrl = row?.docUrl || `https://www.freedesktop.org/software/systemd/man/latest/${manPage(e.section, e.macro)}.html#${e.name}=`;
    section.directives[e.name] = info;
  }

  for (const id of [...Object.keys(NOT_IN_252), ...Object.keys(SINCE_CONTRADICTED)]) {
    const [s, n] = id.split('.');
    const found = s === '*' ? [...sections.values()].some((x) => x.directives[n]) : sections.get(s)?.directives[n];
    if (!found) throw new Error(`NOT_IN_252/SINCE_CONTRADICTED name ${id}, which is not in the table`);
  }
  for (const id of Object.keys(DEPRECATED)) {
    const [s, n] = id.split('.');
    const found = s === '*' ? [...sections.values()].some((x) => x.directives[n]) : sections.get(s)?.directives[n];
    if (!found) throw new Error(`DEPRECATED names ${id}, which is not in the table`);
  }

  const unused = tsv.filter((r) => !usedTsv.has(r));
  for (const r of unused) {
    if (r.section === '*' && UDEV_PROPERTIES.has(r.name)) continue;
    notes.push(`directives.tsv ${r.section}.${r.name} (since ${r.since || '?'}) is not in the v${TABLE_VERSION} table: left out`);
  }

  // Sort directives by name (code-unit order, locale-independent).
  const out: Record<string, SectionInfo> = {};
  for (const [name, s] of sections) {
    const sorted: Record<string, DirectiveInfo> = {};
    for (const k of Object.keys(s.directives).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) sorted[k] = s.directives[k];
    out[name] = { name: s.name, unitTypes: s.unitTypes, directives: sorted };
  }
  const unitTypeSections = {} as Record<UnitType, string[]>;
  for (const t of UNIT_TYPES) unitTypeSections[t] = ['Unit', TYPE_SECTION[t], 'Install'];

  const catalog: Catalog = {
    systemdVersion: `systemd v${TABLE_VERSION} (load-fragment-gperf.gperf.in at ${GPERF_COMMIT})`,
    sources: [
      `systemd/systemd src/core/load-fragment-gperf.gperf.in at ${GPERF_COMMIT} (LGPL-2.1-or-later): sections, keys, parsers; every build option enabled; contains every key dated v${TABLE_VERSION} or earlier`,
      `directives.tsv from willibrandon/vscode-systemd packages/language-core/src/generated/registry.json at ${REGISTRY_COMMIT} (MIT; data from systemd's man pages): since-versions, documentation links, value suggestions, list flags`,
      `plus ${Object.keys(NEWER_KEYS).length} keys that systemd 259–261 added in an explicitly named section (from directives.tsv, each with its since-version)`,
      'value kinds, enumerations, lists and deprecations: scripts/generate-catalog.ts (checked against systemd 252)',
    ],
    sections: out,
    unitTypeSections,
  };
  return { catalog, notes };
}

/** Stable, compact rendering: one directive per line, so diffs stay readable and the file small. */
export function renderCatalog(catalog: Catalog): string {
  const j = (v: unknown) => JSON.stringify(v);
  const lines: string[] = ['{'];
  lines.push(`"systemdVersion":${j(catalog.systemdVersion)},`);
  lines.push(`"sources":${j(catalog.sources)},`);
  lines.push('"sections":{');
  const names = Object.keys(catalog.sections);
  names.forEach((name, i) => {
    const s = catalog.sections[name];
    lines.push(`${j(name)}:{"name":${j(s.name)},"unitTypes":${j(s.unitTypes)},"directives":{`);
    const keys = Object.keys(s.directives);
    keys.forEach((k, n) => lines.push(`${j(k)}:${j(s.directives[k])}${n < keys.length - 1 ? ',' : ''}`));
    lines.push(`}}${i < names.length - 1 ? ',' : ''}`);
  });
  lines.push('},');
  lines.push(`"unitTypeSections":${j(catalog.unitTypeSections)}`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

function main(): void {
  const check = process.argv.includes('--check');
  const verbose = process.argv.includes('--verbose');
  const { catalog, notes } = buildCatalog();
  const text = renderCatalog(catalog);
  const count = Object.values(catalog.sections).reduce((n, s) => n + Object.keys(s.directives).length, 0);
  if (verbose) for (const n of notes) console.log(`note: ${n}`);
  if (check) {
    let current = '';
    try {
      current = readFileSync(OUTPUT_FILE, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      console.error(`${path.relative(REPO_ROOT, OUTPUT_FILE)} is stale: run npm run generate:catalog`);
      process.exit(1);
    }
    console.log(`${path.relative(REPO_ROOT, OUTPUT_FILE)} is up to date (${count} directives)`);
    return;
  }
  writeFileSync(OUTPUT_FILE, text);
  console.log(
    `wrote ${path.relative(REPO_ROOT, OUTPUT_FILE)}: ${Object.keys(catalog.sections).length} sections, ${count} directives, ${(text.length / 1024).toFixed(0)} KiB (${notes.length} notes; --verbose to list)`,
  );
}

if (require.main === module) main();
