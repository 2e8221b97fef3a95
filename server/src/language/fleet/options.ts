// The options fleet reads from a unit's [X-Fleet] section: the six current ones and the five
// deprecated spellings fleet still accepts. Documentation is written for this project.
// Source of truth for names and behaviour: coreos/fleet job/job.go (validRequirements,
// requirements(), RequiredTarget(), Peers(), Conflicts(), Replaces(), RequiredTargetMetadata(),
// IsGlobal()) and api/units.go (ValidateOptions).

export const FLEET_SECTION = 'X-Fleet';

/** The current option an entry contributes to (aliases map onto these). */
export type FleetOptionName = 'MachineID' | 'MachineOf' | 'MachineMetadata' | 'Conflicts' | 'Global' | 'Replaces';

export type FleetValueKind = 'machine-id' | 'unit' | 'metadata' | 'glob' | 'boolean';

export interface FleetOption {
  /** The key as written in the unit file. */
  name: string;
  /** What fleet does with it: the current option it feeds. */
  canonical: FleetOptionName;
  kind: FleetValueKind;
  /** One line, for completion details. */
  summary: string;
  /** Markdown, for hover and completion documentation. */
  docs: string;
  /** Set on the old spellings: the name to use instead. */
  deprecated?: { replacement: FleetOptionName; note?: string };
}

const QUOTED_LIST =
  'Several values on one line must use the quoted form `"a" "b"`: fleet splits a value only when it starts and ends with `"`. ' +
  'Unquoted, `a b` is read as one value containing a space.';

const CURRENT: readonly FleetOption[] = [
  {
    name: 'MachineID',
    canonical: 'MachineID',
    kind: 'machine-id',
    summary: 'run only on the machine with this machine ID',
    docs:
      'Pins the unit to one machine, named by its full machine ID (`/etc/machine-id`, the `MACHINE` column of `fleetctl list-machines -l`). ' +
      'If given more than once, the first value counts. ' +
      'Cannot be combined with `MachineOf=`, `Conflicts=`, `Global=true` or `Replaces=` — fleet refuses such a unit.',
  },
  {
    name: 'MachineOf',
    canonical: 'MachineOf',
    kind: 'unit',
    summary: 'run on the machine that runs this unit',
    docs:
      'Co-locates the unit with another unit, given by its exact name (no globs). The unit waits until that unit is placed, then follows it; ' +
      'if the named unit does not exist the unit is never scheduled. Two units must not name each other. ' +
      'Repeatable: every named unit must be on the same machine. ' +
      'In a template, `%i` makes each instance follow the matching instance (`MachineOf=web@%i.service`). ' +
      QUOTED_LIST,
  },
  {
    name: 'MachineMetadata',
    canonical: 'MachineMetadata',
    kind: 'metadata',
    summary: 'run only on machines whose metadata matches key=value',
    docs:
      'Limits the unit to machines whose metadata (the `metadata` setting of each fleet agent) has `key=value`. ' +
      'Pairs for different keys must all match (AND); several values for the same key — on one line or on repeated lines — accept any of them (OR). ' +
      'Write several pairs on one line as `"region=eu" "disk=ssd"`. A pair without exactly one `=`, or with an empty key or value, is silently ignored by fleet.',
  },
  {
    name: 'Conflicts',
    canonical: 'Conflicts',
    kind: 'glob',
    summary: 'never share a machine with units matching this glob',
    docs:
      'Keeps the unit off any machine that runs a unit whose name matches the pattern (`*`, `?`, `[a-z]`, as Go\'s `path.Match`). ' +
      'It works both ways: a unit without `Conflicts=` is also kept away from units whose pattern matches it. ' +
      'Repeatable. `Conflicts=web@*.service` in `web@.service` spreads its instances over different machines. ' +
      QUOTED_LIST,
  },
  {
    name: 'Global',
    canonical: 'Global',
    kind: 'boolean',
    summary: 'run on every machine (that matches MachineMetadata=)',
    docs:
      'Runs one copy of the unit on every machine of the cluster; `MachineMetadata=` still narrows the machines. ' +
      'True for `true`, `yes`, `1`, `on` or `t` in any case; anything else is false. The last assignment wins. ' +
      'A global unit cannot also use `MachineID=`, `MachineOf=` or `Replaces=`.',
  },
  {
    name: 'Replaces',
    canonical: 'Replaces',
    kind: 'unit',
    summary: 'displace units matching this name from the chosen machine',
    docs:
      'When this unit is placed on a machine that runs a unit matching the value (a unit name or glob), that unit is rescheduled elsewhere. ' +
      'Replacements must not form a cycle: fleet ignores a replacement that goes both ways. ' +
      'Cannot be combined with `Conflicts=`, `MachineID=` or `Global=true`. ' +
      QUOTED_LIST,
  },
];

const DEPRECATED: readonly FleetOption[] = [
  {
    name: 'X-ConditionMachineID',
    canonical: 'MachineID',
    kind: 'machine-id',
    summary: 'old name of MachineID=',
    docs: 'The spelling of `MachineID=` before fleet 0.8. Still read, after `MachineID=`.',
    deprecated: { replacement: 'MachineID' },
  },
  {
    name: 'X-ConditionMachineBootID',
    canonical: 'MachineID',
    kind: 'machine-id',
    summary: 'legacy: treated like MachineID=',
    docs:
      'A legacy option from the time fleet identified machines by boot ID. Current fleet compares its value with the **machine ID**, ' +
      'after `MachineID=` and `X-ConditionMachineID=`, so a boot ID here pins the unit to no machine at all.',
    deprecated: { replacement: 'MachineID', note: 'its value must be a machine ID, not a boot ID' },
  },
  {
    name: 'X-ConditionMachineOf',
    canonical: 'MachineOf',
    kind: 'unit',
    summary: 'old name of MachineOf=',
    docs: 'The spelling of `MachineOf=` before fleet 0.8. Still read, together with `MachineOf=`.',
    deprecated: { replacement: 'MachineOf' },
  },
  {
    name: 'X-ConditionMachineMetadata',
    canonical: 'MachineMetadata',
    kind: 'metadata',
    summary: 'old name of MachineMetadata=',
    docs: 'The spelling of `MachineMetadata=` before fleet 0.8. Still read, merged with `MachineMetadata=`.',
    deprecated: { replacement: 'MachineMetadata' },
  },
  {
    name: 'X-Conflicts',
    canonical: 'Conflicts',
    kind: 'glob',
    summary: 'old name of Conflicts=',
    docs: 'The spelling of `Conflicts=` before fleet 0.8. Still read, together with `Conflicts=`.',
    deprecated: { replacement: 'Conflicts' },
  },
];

/** Every key fleet accepts in [X-Fleet], current names first. */
export const FLEET_OPTIONS: readonly FleetOption[] = [...CURRENT, ...DEPRECATED];
export const CURRENT_FLEET_OPTIONS: readonly FleetOption[] = CURRENT;

const BY_NAME = new Map(FLEET_OPTIONS.map((o) => [o.name, o]));

/** The option for a key as written (case-sensitive, like fleet), or undefined for keys fleet does not know. */
export function fleetOption(key: string): FleetOption | undefined {
  return BY_NAME.get(key);
}

/** fleet's truth values for Global= (compared case-insensitively). */
export const FLEET_TRUE_VALUES: readonly string[] = ['true', 'yes', '1', 'on', 't'];

export function isFleetTruthy(value: string): boolean {
  return FLEET_TRUE_VALUES.includes(value.toLowerCase());
}

/** The specifiers fleet expands inside [X-Fleet]; every other `%x` stays literal. */
export const FLEET_SPECIFIERS: readonly { specifier: string; meaning: string }[] = [
  { specifier: '%n', meaning: 'full unit name (`foo@bar.service`)' },
  { specifier: '%N', meaning: 'unit name without the type suffix (`foo@bar`)' },
  { specifier: '%p', meaning: 'prefix: the part before `@` (`foo`)' },
  { specifier: '%i', meaning: 'instance: the part between `@` and the suffix (`bar`)' },
];

/** Unit types systemd can instantiate from a template (`unit_type_may_template`). */
export const TEMPLATE_TYPES: readonly string[] = ['path', 'service', 'socket', 'target', 'timer'];
