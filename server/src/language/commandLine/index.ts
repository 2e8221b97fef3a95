// Command lines of a unit file: every Exec*= assignment parsed by systemd's rules, with the
// commands inside shell payloads. Pure (no LSP, no VS Code); the result for a parsed file is cached
// on the file object itself (a WeakMap), so the rules and the workspace index share one parse.
import { getDirective } from '../catalog/catalog';
import type { Assignment, UnitFile } from '../unitFile/ast';
import { parseExecLine } from './execParser';
import { basename, programIndex } from './programs';
import type { ExecLine, SimpleCommand, Word } from './types';

export { parseExecLine, executableProblem, extractWord } from './execParser';
export { parseShellPayload, shellSource } from './shellPayload';
export { basename, programIndex, shellInvocation, isEnvName } from './programs';
export type { CommandProblem, EnvReference, ExecLine, SimpleCommand, Word } from './types';

/** The directives systemd parses with config_parse_exec, by section. */
const EXEC_DIRECTIVES = ['ExecStart', 'ExecStartPre', 'ExecStartPost', 'ExecCondition', 'ExecReload', 'ExecReloadPost', 'ExecStop', 'ExecStopPost', 'ExecStopPre'];

/** True for a command-line directive (ExecStart=, ExecStartPre=, … in [Service] and [Socket]). */
export function isExecDirective(section: string | undefined, key: string): boolean {
  if (section === undefined) return false;
  const info = getDirective(section, key);
  if (info) return info.kind === 'command';
  return false;
}

export { EXEC_DIRECTIVES };

export interface ExecAssignment {
  assignment: Assignment;
  line: ExecLine;
}

const cache = new WeakMap<UnitFile, ExecAssignment[]>();

/**
 * Every non-empty Exec*= assignment of the file, parsed, in document order. Pure: the same file
 * object always yields the same (shared, do-not-mutate) array.
 */
export function execLinesOf(file: UnitFile): Array<{ assignment: Assignment; line: ExecLine }> {
  let result = cache.get(file);
  if (!result) {
    result = [];
    for (const section of file.sections) {
      for (const a of section.entries) {
        if (a.value === '' || !isExecDirective(section.name, a.key)) continue;
        result.push({ assignment: a, line: parseExecLine(a.key, a.value) });
      }
    }
    cache.set(file, result);
  }
  return result;
}

/** The exec-level command a command of `line` belongs to (itself for an exec command). */
export function execCommandOf(line: ExecLine, command: SimpleCommand): SimpleCommand | undefined {
  let owner: SimpleCommand | undefined;
  for (const c of line.commands) {
    if (c.via === 'exec') owner = c;
    if (c === command) return owner;
  }
  return undefined;
}

/** The words from the program that really runs, wrappers (env, exec, nice, sudo, …) looked through. */
export function effectiveArgv(command: SimpleCommand): Word[] {
  const texts = command.argv.map((w) => w.text);
  return command.argv.slice(programIndex(texts));
}

/** The name of the program a command runs (`/usr/bin/docker` → `docker`), wrappers looked through. */
export function programName(command: SimpleCommand): string | undefined {
  const argv = effectiveArgv(command);
  return argv.length > 0 ? basename(argv[0].text) : undefined;
}
