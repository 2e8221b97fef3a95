// How journal fields read in the viewer. No DOM here.

export const priorityNames = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

let cachedSecond = NaN;
let cachedPrefix = '';

/** `2026-11-25 03:53:22.123` in local time (like journalctl's short-iso-precise, to the millisecond). */
export function formatTimestamp(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    cachedPrefix = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
    cachedSecond = second;
  }
  return `${cachedPrefix}.${pad(Math.floor(ms - second * 1000), 3)}`;
}

/** The hover text of a line: where it came from, its priority, the full timestamp. */
export function describeLine(line: { ts: number; pri?: number; machine?: string; unit?: string; ident?: string; pid?: number; hostname?: string }): string {
  const parts: string[] = [];
  const source = line.ident !== undefined ? `${line.ident}${line.pid !== undefined ? `[${line.pid}]` : ''}` : line.pid !== undefined ? `PID ${line.pid}` : undefined;
  if (source) parts.push(source);
  if (line.unit) parts.push(line.unit);
  const where = line.machine ?? line.hostname;
  if (where) parts.push(line.hostname && line.machine && line.hostname !== line.machine ? `${line.machine} (${line.hostname})` : where);
  parts.push(line.pri !== undefined ? `priority ${line.pri} (${priorityNames[line.pri] ?? '?'})` : 'no priority');
  parts.push(new Date(line.ts).toISOString());
  return parts.join(' · ');
}
