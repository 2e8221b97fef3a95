// Markdown documentation of a directive, shared by hover and completion.
import type { DirectiveInfo, ValueKind } from '../catalog/types';
import { EXPLANATIONS } from '../catalog/explanations';

const KIND_LABEL: Record<ValueKind, string> = {
  string: 'text',
  boolean: 'boolean (yes/no, true/false, on/off, 1/0)',
  tristate: 'boolean, or empty for the default',
  timespan: 'time span (e.g. `90s`, `5min 20s`, `infinity`; a plain number is seconds)',
  'timespan-nsec': 'time span (a plain number is nanoseconds)',
  unsigned: 'unsigned integer',
  integer: 'integer',
  mode: 'octal file mode (e.g. `0755`)',
  size: 'size in bytes (suffixes K, M, G, T, P, E: base 1024)',
  'memory-limit': 'size in bytes (K, M, G, T…), a percentage of RAM, or `infinity`',
  signal: 'signal name (e.g. `SIGTERM`) or number',
  enum: 'one of a fixed set of values',
  'unit-list': 'space-separated unit names',
  unit: 'unit name',
  'absolute-path': 'absolute path',
  command: 'command line',
};

export function explanationOf(info: DirectiveInfo): string | undefined {
  return EXPLANATIONS[`${info.section}.${info.name}`] ?? EXPLANATIONS[`Service.${info.name}`];
}

export function directiveMarkdown(info: DirectiveInfo): string {
  const lines: string[] = [`**${info.name}=** · [${info.section}] · ${KIND_LABEL[info.kind]}`];
  const explanation = explanationOf(info);
  if (explanation) lines.push('', explanation);
  if (info.enumValues && info.enumValues.length > 0) {
    lines.push('', `${info.exclusiveValues === false ? 'Common values' : 'Values'}: ${info.enumValues.map((v) => `\`${v}\``).join(', ')}`);
  }
  const facts: string[] = [];
  facts.push(info.multiple ? 'May be given several times (an empty assignment resets the list).' : 'The last assignment wins.');
  if (info.since) facts.push(`Since systemd ${info.since}.`);
  if (info.ignored) facts.push(`**No longer supported**: current systemd ignores it${info.replacement ? ` — use \`${info.replacement}=\`` : ''}.`);
  else if (info.deprecated) facts.push(`**Deprecated**${info.replacement ? `: use \`${info.replacement}\`` : ''}.`);
  lines.push('', facts.join(' '));
  if (info.docUrl) lines.push('', `[systemd documentation](${info.docUrl})`);
  return lines.join('\n');
}
