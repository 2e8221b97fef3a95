// Every diagnostic rule of the systemd half, in reporting order.
import { commentContinuation } from './commentContinuation';
import { deprecatedDirective } from './deprecatedDirective';
import { duplicateDirective } from './duplicateDirective';
import { ignoredDirective } from './ignoredDirective';
import { inlineComment } from './inlineComment';
import { invalidSectionHeader } from './invalidSectionHeader';
import { invalidValue } from './invalidValue';
import { malformedLine } from './malformedLine';
import { outsideSection } from './outsideSection';
import type { Rule } from './rule';
import { sectionNotAllowed } from './sectionNotAllowed';
import { serviceExecStart } from './serviceExecStart';
import { unknownDirective } from './unknownDirective';
import { unknownSection } from './unknownSection';
import { wrongSection } from './wrongSection';

export const RULES: readonly Rule[] = [
  invalidSectionHeader,
  malformedLine,
  outsideSection,
  unknownSection,
  sectionNotAllowed,
  unknownDirective,
  wrongSection,
  invalidValue,
  deprecatedDirective,
  ignoredDirective,
  duplicateDirective,
  inlineComment,
  commentContinuation,
  serviceExecStart,
];

export const RULES_BY_CODE: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.code, r]));
