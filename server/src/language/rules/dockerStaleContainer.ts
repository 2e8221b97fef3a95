import { dockerInvocation, type DockerInvocation } from '../commandLine/docker';
import { basename, type SimpleCommand, type Word } from '../commandLine';
import { rangeInValue } from '../unitFile/parser';
import { checkedExecLines, fixesFromData, type FixData } from './execSupport';
import type { Rule } from './rule';

/** `${NAME}` and a whole-word `$NAME` are the same variable. */
const normalise = (s: string): string => s.replace(/^\$([A-Za-z_][A-Za-z0-9_]*)$/, '${$1}');

/** Text the shell or the environment decides at run time ($VAR, $(…), backticks). */
const runtimeDependent = (w: Word): boolean => /[$`]/.test(w.text);

/** Names safe to write unquoted in a new ExecStartPre= line. */
const SAFE_NAME = /^[A-Za-z0-9_.%@:-]+$/;

interface Removal {
  operands: Word[];
  /** Removes containers it does not name (prune). */
  any: boolean;
}

function removals(commands: SimpleCommand[]): Removal[] {
  const result: Removal[] = [];
  for (const c of commands) {
    const d = dockerInvocation(c);
    if (!d) continue;
    if (d.action === 'rm') result.push({ operands: d.operands, any: d.operands.some(runtimeDependent) });
    else if (d.action === 'prune') result.push({ operands: [], any: true });
  }
  return result;
}

/**
 * `docker run --name web …` in ExecStart= while no ExecStartPre= removes a stale `web`: after a
 * crash, a reboot or a docker restart the old container is still there and `docker run` fails with
 * "container name already in use". `--rm` does not help: it removes the container only when it
 * exits while the docker daemon is up. `docker kill`/`stop` do not remove it either.
 */
export const dockerStaleContainer: Rule = {
  code: 'docker-stale-container',
  defaultSeverity: 'warning',
  description: 'docker run --name X in ExecStart= while no ExecStartPre= removes a stale X (docker rm -f X): after a crash or reboot, "container name already in use" keeps the unit from starting.',
  check(ctx) {
    if (ctx.name.dropIn) return; // the pre-steps may live in the unit file itself
    const lines = checkedExecLines(ctx).filter((e) => e.assignment.section === 'Service');
    const pre = removals(lines.filter((e) => e.assignment.key === 'ExecStartPre').flatMap((e) => e.line.commands));
    if (pre.some((r) => r.any)) return;
    const removed = new Set(pre.flatMap((r) => r.operands.map((w) => normalise(w.text))));
    for (const { assignment: a, line } of lines) {
      if (a.key !== 'ExecStart') continue;
      for (const command of line.commands) {
        const d: DockerInvocation | undefined = dockerInvocation(command);
        if (!d || d.action !== 'run' || !d.name) continue;
        const name = d.name.value;
        if (name === '' || /[$`]/.test(name) || removed.has(normalise(name))) continue;
        const docker = command.argv[d.program].text;
        const path = command.via === 'exec' || docker.startsWith('/') ? docker : `/usr/bin/${basename(docker)}`;
        const data: FixData = { fixes: [] };
        if (SAFE_NAME.test(name)) {
          const indent = ctx.file.lines[a.range.start.line].match(/^\s*/)?.[0] ?? '';
          const at = { line: a.range.start.line, character: 0 };
          data.fixes.push({ title: `Add "ExecStartPre=-${path} rm -f ${name}"`, edits: [{ range: { start: at, end: at }, text: `${indent}ExecStartPre=-${path} rm -f ${name}\n` }] });
        }
        const from = d.name.from;
        const to = d.name.word;
        ctx.report({
          range: rangeInValue(a, from.offset, to.offset + to.length),
          message: `ExecStart=: no ExecStartPre= removes a stale container "${name}": after a crash, a reboot or a docker restart it is still there and "docker run --name ${name}" fails with "container name already in use". ${d.flags.has('--rm') ? '--rm does not prevent it (it removes the container only when it exits while docker is up). ' : ''}Add ExecStartPre=-${path} rm -f ${name}.`,
          data: data.fixes.length > 0 ? data : undefined,
        });
      }
    }
  },
  fixes: fixesFromData,
};
