import { quickFix } from '../features/edits';
import { keyProblems } from '../etcd/keys';
import { etcdFacts, wordSpan } from '../etcd/unitKeys';
import { positionInValue } from '../unitFile/parser';
import type { Position } from 'vscode-languageserver-types';
import type { Rule } from './rule';

/** A key argument of etcdctl that is relative (`services/web`) or has an empty segment (`/a//b`). */
export const etcdKeySyntax: Rule = {
  code: 'etcd-key-syntax',
  defaultSeverity: 'error',
  description: 'An etcdctl key argument that is relative or has an empty path segment (//).',
  check(ctx) {
    for (const usage of etcdFacts(ctx.workspace, ctx.uri, ctx.file).usages) {
      const problems = keyProblems(usage.pattern);
      if (problems.length === 0) continue;
      const a = usage.call.assignment;
      const relative = problems[0].includes('relative');
      // Insert the slash inside an opening quote.
      const { from } = wordSpan(a.value, usage.word);
      const quote = a.value[from] === '"' || a.value[from] === "'" ? 1 : 0;
      const insertAt = relative ? positionInValue(a, from + quote) : undefined;
      ctx.report({ range: usage.location, message: problems.join(' '), data: insertAt ? { insertAt } : undefined });
    }
  },
  fixes(diagnostic, ctx) {
    const at = (diagnostic.data as { insertAt?: Position } | undefined)?.insertAt;
    return at ? [quickFix('Make the key absolute (add a leading /)', ctx.uri, [{ range: { start: at, end: at }, newText: '/' }], diagnostic, true)] : [];
  },
};
