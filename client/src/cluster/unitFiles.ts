// Unit files on the submitting side: a path or a name resolves to a unit name and its text, with
// fleetctl's rule for templates — `start DIR/name@inst.service` uses `DIR/name@.service` when no
// file of that exact name exists.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseUnitFile } from '../../../server/src/language/unitFile/parser';
import { fleetRequirements } from '../../../server/src/language/fleet/requirements';
import type { FleetRequirements } from '../../../server/src/language/fleet/types';
import { ClusterError } from './errors';
import { assertUnitName, templateOf } from './names';

export interface LocalUnit {
  name: string;
  /** undefined: no local file (the unit must already be in the cluster's registry). */
  text?: string;
  /** The file that was read (the template's, for instances without their own file). */
  source?: string;
  template?: string;
}

function readIfFile(file: string): string | undefined {
  try {
    if (fs.statSync(file).isFile()) return fs.readFileSync(file, 'utf8');
  } catch {
    /* absent */
  }
  return undefined;
}

/** Resolves one command-line argument (a path or a unit name) against the local files. */
export function resolveLocalUnit(arg: string, cwd = process.cwd()): LocalUnit {
  const name = path.basename(arg);
  const parts = assertUnitName(name);
  if (parts.instance === '') throw new ClusterError('usage', `${name} is a template: name an instance, e.g. ${parts.prefix}@1.${parts.type}`);
  const file = path.resolve(cwd, arg);
  const text = readIfFile(file);
  if (text !== undefined) return { name, text, source: file };
  const template = templateOf(name);
  if (template) {
    const templateFile = path.join(path.dirname(file), template);
    const templateText = readIfFile(templateFile);
    if (templateText !== undefined) return { name, text: templateText, source: templateFile, template };
  }
  if (arg.includes('/')) throw new ClusterError('not-found', `no unit file ${file}${template ? ` nor template ${path.join(path.dirname(file), template)}` : ''}`);
  return { name };
}

export function requirementsOf(name: string, text: string): FleetRequirements {
  return fleetRequirements(parseUnitFile(text), name);
}
