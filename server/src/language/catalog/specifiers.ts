// systemd's `%` specifiers (generated from shared data by scripts/generate-specifiers.ts).
import data from './specifiers.generated.json';

export interface Specifier {
  /** e.g. `%i` */
  specifier: string;
  meaning: string;
  /** fleet expands it inside [X-Fleet] (only %n %N %p %i). */
  fleet: boolean;
}

export const SPECIFIERS: readonly Specifier[] = data.specifiers;
const BY_LETTER = new Map(SPECIFIERS.map((s) => [s.specifier[1], s]));

/** The specifier for a letter (`i` → `%i`), or undefined when systemd does not know it. */
export function specifierFor(letter: string): Specifier | undefined {
  return BY_LETTER.get(letter);
}
