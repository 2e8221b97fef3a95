// keys ls|get|set|rm|watch — etcd v3 by default, the v2 key space with --v2
import { getKey, listLevel, removeKey, setKey, watchKeys } from '../cluster/etcd/browse';
import { getV2, listV2, removeV2, setV2, waitV2 } from '../cluster/etcd/v2';
import { ClusterError, messageOf } from '../cluster/errors';
import { flag, intOption, stringOption } from './args';
import type { CliContext } from './context';
import { printJson } from './output';

export const KEYS_OPTIONS = { values: ['limit', 'after', 'ttl'], flags: ['v2', 'prefix', 'recursive'] };

export async function keysVerb(ctx: CliContext): Promise<number> {
  const [sub, ...rest] = ctx.args.positional;
  const v2 = flag(ctx.args, 'v2');
  const cluster = ctx.cluster;
  switch (sub) {
    case 'ls': {
      const prefix = rest[0] ?? '/';
      if (v2) {
        const nodes = await listV2(cluster, prefix);
        if (ctx.json) printJson(nodes.map((n) => ({ key: n.key, dir: n.dir ?? false, ttl: n.ttl })));
        else for (const n of nodes) ctx.out(`${n.key}${n.dir ? '/' : ''}${n.ttl !== undefined ? `  (ttl ${n.ttl}s)` : ''}\n`);
        return 0;
      }
      const page = await listLevel(cluster, prefix, { limit: intOption(ctx.args, 'limit', 500), after: stringOption(ctx.args, 'after') });
      if (ctx.json) printJson(page);
      else {
        for (const e of page.entries) ctx.out(`${e.key}\n`);
        if (page.next) ctx.progress(`… more: unit-fleet keys ls ${prefix} --after ${page.next}`);
      }
      return 0;
    }
    case 'get': {
      const key = need(rest[0], 'keys get KEY');
      if (v2) {
        const node = await getV2(cluster, key);
        if (ctx.json) printJson(node);
        else ctx.out(`${node.value ?? ''}\n`);
        return 0;
      }
      const kv = await getKey(cluster, key);
      if (ctx.json) printJson(kv);
      else ctx.out(`${kv.value}\n`);
      return 0;
    }
    case 'set': {
      const key = need(rest[0], 'keys set KEY VALUE');
      const value = need(rest[1], 'keys set KEY VALUE');
      const ttl = stringOption(ctx.args, 'ttl') !== undefined ? intOption(ctx.args, 'ttl', 0) : undefined;
      if (v2) await setV2(cluster, key, value, ttl);
      else await setKey(cluster, key, value, ttl);
      return 0;
    }
    case 'rm': {
      const key = need(rest[0], 'keys rm KEY');
      if (v2) await removeV2(cluster, key, flag(ctx.args, 'recursive') || flag(ctx.args, 'prefix'));
      else {
        const n = await removeKey(cluster, key, flag(ctx.args, 'prefix'));
        if (n === 0) throw new ClusterError('not-found', `no key ${key}${flag(ctx.args, 'prefix') ? '…' : ''} in etcd (v3)`);
        ctx.progress(`deleted ${n} key(s)`);
      }
      return 0;
    }
    case 'watch': {
      const key = need(rest[0], 'keys watch KEY');
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      process.once('SIGTERM', () => controller.abort());
      if (v2) {
        let index: number | undefined;
        while (!controller.signal.aborted) {
          const change = await waitV2(cluster, key, index);
          index = change.node?.modifiedIndex;
          if (ctx.json) ctx.out(`${JSON.stringify(change)}\n`);
          else ctx.out(`${change.action?.toUpperCase()} ${change.node?.key} ${change.node?.value ?? ''}\n`);
        }
        return 0;
      }
      const cancel = await watchKeys(
        cluster,
        key,
        (e) => {
          if (ctx.json) ctx.out(`${JSON.stringify(e)}\n`);
          else ctx.out(`${e.type.toUpperCase()} ${e.key}${e.value !== undefined ? ` ${e.value}` : ''}\n`);
        },
        { prefix: key.endsWith('/') || flag(ctx.args, 'prefix'), onError: (error) => ctx.progress(`watch: ${messageOf(error)}`) },
      );
      ctx.progress(`watching ${key}${key.endsWith('/') || flag(ctx.args, 'prefix') ? ' (prefix)' : ''}; Ctrl-C to stop`);
      await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve()));
      await cancel();
      return 0;
    }
    default:
      throw new ClusterError('usage', 'keys needs a sub-command: ls [PREFIX] | get KEY | set KEY VALUE [--ttl S] | rm KEY [--prefix] | watch KEY (--v2: the v2 key space)');
  }
}

function need(value: string | undefined, usage: string): string {
  if (value === undefined) throw new ClusterError('usage', `usage: unit-fleet ${usage}`);
  return value;
}
