// Every diagnostic rule of the systemd half, in reporting order.
import { commentContinuation } from './commentContinuation';
import { deprecatedDirective } from './deprecatedDirective';
import { duplicateDirective } from './duplicateDirective';
import { etcdKeySyntax } from './etcdKeySyntax';
import { etcdReadUnwritten } from './etcdReadUnwritten';
import { etcdRemoveUnwritten } from './etcdRemoveUnwritten';
import { etcdV2Command } from './etcdV2Command';
import { fleetDeprecatedOption } from './fleetDeprecatedOption';
import { fleetEmptyValue } from './fleetEmptyValue';
import { fleetForbiddenCombination } from './fleetForbiddenCombination';
import { fleetGlobalValue } from './fleetGlobalValue';
import { fleetInvalidGlob } from './fleetInvalidGlob';
import { fleetMachineOfMissing } from './fleetMachineOfMissing';
import { fleetMetadataSyntax } from './fleetMetadataSyntax';
import { fleetMutualMachineOf } from './fleetMutualMachineOf';
import { fleetPeerConflict } from './fleetPeerConflict';
import { fleetReplacesCycle } from './fleetReplacesCycle';
import { fleetSectionCase } from './fleetSectionCase';
import { fleetTemplateType } from './fleetTemplateType';
import { fleetUnknownOption } from './fleetUnknownOption';
import { fleetUnquotedList } from './fleetUnquotedList';
import { fleetUnsupportedSpecifier } from './fleetUnsupportedSpecifier';
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
import { dockerPrestepWithoutDash } from './dockerPrestepWithoutDash';
import { dockerStaleContainer } from './dockerStaleContainer';
import { execSuspicious } from './execSuspicious';
import { execSyntax } from './execSyntax';
import { shellSyntax } from './shellSyntax';
import { specifierInFormat } from './specifierInFormat';
import { systemdEnvExpansion } from './systemdEnvExpansion';
import { unknownSpecifier } from './unknownSpecifier';

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
  // [X-Fleet]
  fleetSectionCase,
  fleetUnknownOption,
  fleetDeprecatedOption,
  fleetForbiddenCombination,
  fleetPeerConflict,
  fleetGlobalValue,
  fleetMetadataSyntax,
  fleetUnquotedList,
  fleetEmptyValue,
  fleetInvalidGlob,
  fleetUnsupportedSpecifier,
  fleetTemplateType,
  fleetMachineOfMissing,
  fleetMutualMachineOf,
  fleetReplacesCycle,
  // Command lines (Exec*=) and their shell payloads
  execSyntax,
  unknownSpecifier,
  execSuspicious,
  specifierInFormat,
  systemdEnvExpansion,
  shellSyntax,
  dockerPrestepWithoutDash,
  dockerStaleContainer,
  // etcd keys in command lines
  etcdV2Command,
  etcdKeySyntax,
  etcdRemoveUnwritten,
  etcdReadUnwritten,
];

export const RULES_BY_CODE: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.code, r]));
