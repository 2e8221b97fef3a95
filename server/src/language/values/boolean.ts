// Booleans: systemd's parse_boolean() (src/basic/parse-util.c), used by config_parse_bool and
// config_parse_tristate. Case-insensitive, no surrounding text allowed, no specifier expansion.
import { didYouMean, quote, whole, type ValueProblem } from './common';

export const BOOLEAN_TRUE_WORDS = ['yes', 'true', 'on', '1', 'y', 't'] as const;
export const BOOLEAN_FALSE_WORDS = ['no', 'false', 'off', '0', 'n', 'f'] as const;
/** Every spelling parse_boolean() accepts (case-insensitively). */
export const BOOLEAN_WORDS: readonly string[] = [...BOOLEAN_TRUE_WORDS, ...BOOLEAN_FALSE_WORDS];

const TRUE_SET = new Set<string>(BOOLEAN_TRUE_WORDS);
const FALSE_SET = new Set<string>(BOOLEAN_FALSE_WORDS);

/** parse_boolean(): true/false, or undefined when systemd rejects the word. */
export function parseBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (TRUE_SET.has(v)) return true;
  if (FALSE_SET.has(v)) return false;
  return undefined;
}

export function isBooleanWord(value: string): boolean {
  return parseBoolean(value) !== undefined;
}

// Words people write that mean a boolean; the suggestion keeps their intent.
const INTENT: Record<string, string> = {
  enable: 'yes',
  enabled: 'yes',
  disable: 'no',
  disabled: 'no',
  none: 'no',
  never: 'no',
  always: 'yes',
  nope: 'no',
  yep: 'yes',
  yeah: 'yes',
  ja: 'yes',
  nein: 'no',
  oui: 'yes',
  non: 'no',
  si: 'yes',
};

export function booleanSuggestion(word: string): string | undefined {
  const intent = INTENT[word.toLowerCase()];
  if (intent !== undefined) return intent;
  // Only suggest among the long words: "yse" → "yes", "ture" → "true", "flase" → "false".
  return didYouMean(word, ['yes', 'no', 'true', 'false', 'on', 'off']);
}

export function checkBoolean(value: string): ValueProblem[] {
  const v = value.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '');
  if (v === '' || parseBoolean(v) !== undefined) return [];
  const spec = v.includes('%') ? ' Specifiers such as %i are not expanded here.' : '';
  return whole(value, `${quote(v)} is not a boolean: use yes/no, true/false, on/off or 1/0.${spec}`, booleanSuggestion(v));
}
