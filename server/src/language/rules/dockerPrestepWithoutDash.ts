import { execCommandOf } from '../commandLine';
import { dockerInvocation, isForcedRemoval } from '../commandLine/docker';
import { rangeInValue } from '../unitFile/parser';
import { checkedExecLines, fixesFromData, type FixData } from './execSupport';
import type { Rule } from './rule';

const CLEANUPS = new Set(['kill', 'stop', 'rm']);

/**
 * `ExecStartPre=/usr/bin/docker kill web` (or stop, rm, `container rm`, also inside `sh -c` when
 * its status is the script's): the command fails when no such container exists, after a reboot or
 * on the first start, and a failing ExecStartPre= keeps the unit from starting. The `-` prefix makes
 * systemd ignore the failure. `docker rm -f` is left alone: since Docker 20.10 it succeeds when the
 * container is missing.
 */
export const dockerPrestepWithoutDash: Rule = {
  code: 'docker-prestep-without-dash',
  defaultSeverity: 'warning',
  description: 'docker kill/stop/rm of a possibly missing container in ExecStartPre= without the "-" prefix: it fails when the container does not exist and the unit does not start.',
  check(ctx) {
    for (const { assignment: a, line } of checkedExecLines(ctx)) {
      if (a.key !== 'ExecStartPre') continue;
      for (const command of line.commands) {
        const d = dockerInvocation(command);
        if (!d || !CLEANUPS.has(d.action) || isForcedRemoval(d) || d.operands.length === 0) continue;
        const exec = execCommandOf(line, command);
        if (!exec || exec.prefixes?.includes('-') || exec.offset === undefined) continue;
        if (command.via === 'shell' && !command.exitStatusMatters) continue;
        const from = command.argv[d.program];
        const to = command.argv[d.actionIndex];
        const containers = d.operands.map((w) => w.text).join(' ');
        const data: FixData = { fixes: [{ title: 'Add the "-" prefix (ignore the failure)', edits: [{ range: rangeInValue(a, exec.offset, exec.offset), text: '-' }] }] };
        if (command.via === 'shell' && command.end !== undefined) {
          data.fixes.push({ title: 'Append "|| true" to the docker command', edits: [{ range: rangeInValue(a, command.end, command.end), text: ' || true' }] });
        }
        ctx.report({
          range: rangeInValue(a, from.offset, to.offset + to.length),
          message: `ExecStartPre=: "docker ${d.action} ${containers}" fails when the container does not exist (first start, after a reboot or a docker restart), and a failing ExecStartPre= keeps the unit from starting. Prefix the line with "-" so systemd ignores the failure.`,
          data,
        });
      }
    }
  },
  fixes: fixesFromData,
};
