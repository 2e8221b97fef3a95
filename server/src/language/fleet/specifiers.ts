// fleet's specifier expansion in [X-Fleet] values (job/job.go unitPrintf): only %n %N %p %i,
// replaced one after the other, every occurrence, with no `%%` escape; and only when the unit
// name parses (it has a `.`). Everything else stays literal.

export interface FleetUnitNameInfo {
  /** `foo@bar.service` */
  fullName: string;
  /** `foo@bar`: everything before the last `.` */
  name: string;
  /** `foo`: before the first `@` of `name`, or all of `name` */
  prefix: string;
  /** `bar`: after the first `@` of `name`; empty for a template and for plain units */
  instance: string;
  /** `foo@.service` when the name has an `@` */
  template: string | undefined;
}

/** fleet's reading of a unit name (unit.NewUnitNameInfo); undefined when it has no `.`. */
export function fleetUnitNameInfo(unitName: string): FleetUnitNameInfo | undefined {
  const dot = unitName.lastIndexOf('.');
  if (dot < 0) return undefined;
  const name = unitName.slice(0, dot);
  const suffix = unitName.slice(dot);
  const at = name.indexOf('@');
  if (at < 0) return { fullName: unitName, name, prefix: name, instance: '', template: undefined };
  return { fullName: unitName, name, prefix: name.slice(0, at), instance: name.slice(at + 1), template: `${name.slice(0, at)}@${suffix}` };
}

/**
 * Expands `%n`, `%N`, `%p`, `%i` in `value` for the unit `unitName`, exactly as fleet does: four
 * successive replace-all passes in that order. `%%` is not an escape (`%%i` becomes `%` + instance).
 * When `unitName` has no `.`, fleet leaves the value untouched.
 */
export function expandFleetSpecifiers(value: string, unitName: string): string {
  if (!value.includes('%')) return value;
  const info = fleetUnitNameInfo(unitName);
  if (!info) return value;
  return value.replaceAll('%n', info.fullName).replaceAll('%N', info.name).replaceAll('%p', info.prefix).replaceAll('%i', info.instance);
}

/**
 * The name to check a file's [X-Fleet] section under. A template file (`foo@.service`) is never
 * scheduled itself, only its instances; it is read as the symbolic instance `foo@%i.service`, so
 * `MachineOf=bar@%i.service` stays `bar@%i.service` — which the workspace resolves to the
 * template `bar@.service` — instead of fleet's literal `bar@.service` for the template's own name.
 */
export function symbolicUnitName(unitName: string, template: boolean): string {
  if (!template) return unitName;
  const dot = unitName.lastIndexOf('.');
  const at = unitName.indexOf('@');
  if (dot < 0 || at < 0 || at > dot) return unitName;
  return `${unitName.slice(0, at + 1)}%i${unitName.slice(dot)}`;
}

/** True when `name` is an instance (or the symbolic instance) of the template `templateName` (`foo@.service`). */
export function isInstanceOf(name: string, templateName: string): boolean {
  const at = templateName.indexOf('@');
  const dot = templateName.lastIndexOf('.');
  if (at < 0 || dot !== at + 1) return false;
  const head = templateName.slice(0, at + 1);
  const suffix = templateName.slice(dot);
  return name.length > head.length + suffix.length && name.startsWith(head) && name.endsWith(suffix) && name.lastIndexOf('.') === name.length - suffix.length;
}
