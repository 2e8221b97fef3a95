// File modes: systemd's parse_mode() (src/basic/parse-util.c) = safe_atou_full(s, 8 |
// SAFE_ATO_REFUSE_PLUS_MINUS) and a maximum of 07777. Octal digits only (a leading 0 is optional,
// "0o" is not accepted), no sign, leading whitespace allowed, no symbolic modes like "u+rwx".
import { quote, safeAtou, trimBounds, whole, type ValueProblem } from './common';

export const MODE_MAX = 0o7777;

/** parse_mode(): the mode, or undefined when systemd refuses the value. */
export function parseMode(value: string): number | undefined {
  const r = safeAtou(value, { base: 8, refusePlusMinus: true });
  if (!r.ok || r.value > BigInt(MODE_MAX)) return undefined;
  return Number(r.value);
}

export function checkMode(value: string): ValueProblem[] {
  const [vs, ve] = trimBounds(value);
  if (vs === ve) return [];
  const s = value.slice(vs, ve);
  const r = safeAtou(s, { base: 8, refusePlusMinus: true });
  if (r.ok && r.value <= BigInt(MODE_MAX)) return [];
  if (r.ok || (r.error === 'ERANGE' && /^[0-7]+$/.test(s))) {
    return whole(value, `${quote(s)} is too large for a file mode: the largest is 07777 (e.g. 0644 for files, 0755 for directories, 022 for UMask=).`);
  }
  if (/^[0-9]+$/.test(s)) {
    const bad = s.search(/[89]/);
    return [{ offset: vs + bad, length: 1, message: `${quote(s)} is not an octal file mode: ${s[bad]} is not an octal digit (use 0-7, e.g. 0644 or 0755).` }];
  }
  if (/^0o[0-7]+$/i.test(s)) {
    const fixed = `0${s.slice(2)}`;
    const p = whole(value, `${quote(s)} is not accepted here: write the octal mode without "o", e.g. ${fixed}.`)[0];
    if (parseMode(fixed) !== undefined) p.suggestion = fixed;
    return [p];
  }
  if (/^[+-]/.test(s)) return whole(value, `${quote(s)} is not an octal file mode: no sign is allowed (e.g. 0644 or 022).`);
  if (/[ugoa]*[+=-][rwxXst]*/.test(s) || /^[r-][w-][xsS-]/.test(s)) {
    return whole(value, `${quote(s)} is not an octal file mode: symbolic modes are not supported, use octal digits such as 0644, 0755 or 022.`);
  }
  return whole(value, `${quote(s)} is not an octal file mode: use up to four octal digits 0-7, e.g. 0644, 0755 or 022.`);
}
