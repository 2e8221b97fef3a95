// The etcdctl model (v2 / v3 verbs, flags, ETCDCTL_API, key access) and key patterns (placeholders
// as wildcards, matching, syntax checks), on SimpleCommands built by hand.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SimpleCommand, Word } from '../../server/src/language/commandLine/types';
import { environmentWords, etcdctlApiFromEnvironment, etcdctlInvocations, parseEtcdctl } from '../../server/src/language/etcd/etcdctl';
import { keyProblems, parseKeyPattern, patternsIntersect } from '../../server/src/language/etcd/keys';

/** A command from whitespace-separated words (no quoting), leading NAME=value words as assignments when `shell`. */
function cmd(line: string, via: 'exec' | 'shell' = 'exec'): SimpleCommand {
  const words: Word[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push({ text: m[0], offset: m.index, length: m[0].length, dynamic: /[$%`]/.test(m[0]) });
  const assignments: Word[] = [];
  while (via === 'shell' && words.length > 0 && /^[A-Za-z_]\w*=/.test(words[0].text)) assignments.push(words.shift()!);
  return { argv: words, assignments, via };
}
const keysOf = (line: string, via: 'exec' | 'shell' = 'exec') => parseEtcdctl(cmd(line, via))!.keys.map((k) => `${k.access}${k.prefix ? '*' : ''}${k.range ? '~' : ''} ${k.word.text}`);

describe('etcdctl invocations', () => {
  test('recognised by name or path, through env/exec/sudo; other programs are not', () => {
    assert.ok(parseEtcdctl(cmd('etcdctl get /a')));
    assert.ok(parseEtcdctl(cmd('/usr/bin/etcdctl get /a')));
    assert.ok(parseEtcdctl(cmd('exec etcdctl lease keep-alive $LEASE', 'shell')));
    assert.ok(parseEtcdctl(cmd('/usr/bin/env ETCDCTL_API=2 etcdctl set /a 1')));
    assert.ok(parseEtcdctl(cmd('sudo -u etcd etcdctl get /a')));
    assert.equal(parseEtcdctl(cmd('echo etcdctl get /a')), undefined);
    assert.equal(parseEtcdctl(cmd('/usr/bin/etcd --name x')), undefined);
  });

  test('v3 verbs and their keys', () => {
    assert.deepEqual(keysOf('etcdctl put /services/web/%H 10.0.0.1:80'), ['write /services/web/%H']);
    assert.deepEqual(keysOf('etcdctl put --lease=$LEASE /services/web/%H x'), ['write /services/web/%H']);
    assert.deepEqual(keysOf('etcdctl put --lease $LEASE /services/web/%H x'), ['write /services/web/%H']);
    assert.deepEqual(keysOf('etcdctl --endpoints=http://a:2379 get --prefix --print-value-only /services/web/'), ['read* /services/web/']);
    assert.deepEqual(keysOf('etcdctl get /services/web/x'), ['read /services/web/x']);
    assert.deepEqual(keysOf('etcdctl get --keys-only --from-key /a'), ['read~ /a']);
    assert.deepEqual(keysOf('etcdctl get /a /b'), ['read~ /a']);
    assert.deepEqual(keysOf('etcdctl del /services/web/%H'), ['remove /services/web/%H']);
    assert.deepEqual(keysOf('etcdctl del --prefix /services/web/'), ['remove* /services/web/']);
    assert.deepEqual(keysOf('etcdctl watch --prefix /services/changed/'), ['watch* /services/changed/']);
    assert.deepEqual(keysOf('etcdctl watch /services/changed/web -- systemctl restart x'), ['watch /services/changed/web']);
    assert.deepEqual(keysOf('etcdctl -w json --command-timeout 5s get /x'), ['read /x']);
    assert.deepEqual(keysOf('etcdctl lease grant 10'), []);
    assert.deepEqual(keysOf('etcdctl txn -i'), []);
    const lease = parseEtcdctl(cmd('etcdctl lease keep-alive $LEASE'))!;
    assert.equal(lease.verb, 'lease keep-alive');
    assert.equal(lease.dialect, 'v3');
    assert.deepEqual(lease.v2Words, []);
  });

  test('v2 verbs and flags, flags after the arguments', () => {
    const set = parseEtcdctl(cmd('etcdctl set /services/web/%H 10.0.0.1:80 --ttl 60'))!;
    assert.equal(set.dialect, 'v2');
    assert.deepEqual(set.keys.map((k) => [k.access, k.word.text]), [['write', '/services/web/%H']]);
    assert.equal(set.value?.text, '10.0.0.1:80');
    assert.deepEqual(set.v2Words.map((w) => w.text), ['set', '--ttl']);
    assert.deepEqual(keysOf('etcdctl mk /a 1'), ['write /a']);
    assert.deepEqual(keysOf('etcdctl mk --in-order /queue 1'), ['write* /queue']);
    assert.deepEqual(keysOf('etcdctl mkdir /dir'), ['write* /dir']);
    assert.deepEqual(keysOf('etcdctl update /a 2'), ['write /a']);
    assert.deepEqual(keysOf('etcdctl ls --recursive /services/web'), ['read* /services/web']);
    assert.deepEqual(keysOf('etcdctl ls'), []);
    assert.deepEqual(keysOf('etcdctl rm /a'), ['remove /a']);
    assert.deepEqual(keysOf('etcdctl rm -r /dir'), ['remove* /dir']);
    assert.deepEqual(keysOf('etcdctl rmdir /dir'), ['remove* /dir']);
    assert.deepEqual(keysOf('etcdctl watch --forever --recursive /services/web'), ['watch* /services/web']);
    assert.deepEqual(keysOf('etcdctl exec-watch --recursive /services/web -- /bin/reload'), ['watch* /services/web']);
    assert.deepEqual(parseEtcdctl(cmd('etcdctl -C http://a:4001 get --quorum /a'))!.v2Words.map((w) => w.text), ['-C', '--quorum']);
    assert.equal(parseEtcdctl(cmd('etcdctl get --quorum /a'))!.dialect, 'v2');
    assert.equal(parseEtcdctl(cmd('etcdctl -ttl 5 set /a 1'))!.keys[0].word.text, '/a');
  });

  test('ETCDCTL_API from the command, env, export in the script, or the unit', () => {
    const own = parseEtcdctl(cmd('ETCDCTL_API=2 etcdctl get /a', 'shell'))!;
    assert.deepEqual([own.apiSetting?.source, own.apiSetting?.value, own.dialect], ['assignment', '2', 'v2']);
    const env = parseEtcdctl(cmd('env ETCDCTL_API=3 etcdctl get /a'))!;
    assert.deepEqual([env.apiSetting?.source, env.dialect], ['env', 'v3']);
    const unit = parseEtcdctl(cmd('etcdctl get /a'), { unitApi: '2' })!;
    assert.deepEqual([unit.apiSetting?.source, unit.dialect], ['unit', 'v2']);
    assert.equal(parseEtcdctl(cmd('etcdctl get /a'))!.dialect, undefined);
    const [exported] = etcdctlInvocations([cmd('export ETCDCTL_API=2', 'shell'), cmd('etcdctl watch /a', 'shell')]);
    assert.deepEqual([exported.apiSetting?.source, exported.dialect], ['export', 'v2']);
    // A v2 verb stays v2 whatever ETCDCTL_API says (etcdctl v3 has no `set`).
    const wrong = parseEtcdctl(cmd('ETCDCTL_API=3 etcdctl set /a 1', 'shell'))!;
    assert.deepEqual([wrong.dialect, wrong.v2Words.map((w) => w.text)], ['v2', ['set']]);
  });

  test('Environment= values', () => {
    assert.deepEqual(environmentWords('A=1 "B=two words" \'C=x\''), ['A=1', 'B=two words', 'C=x']);
    assert.equal(etcdctlApiFromEnvironment(['ETCDCTL_API=2']), '2');
    assert.equal(etcdctlApiFromEnvironment(['ETCDCTL_API=2', 'ETCDCTL_API=3 X=1']), '3');
    assert.equal(etcdctlApiFromEnvironment(['ETCDCTL_API=2', '']), undefined);
    assert.equal(etcdctlApiFromEnvironment(['FOO=1']), undefined);
  });
});

describe('key patterns', () => {
  const p = parseKeyPattern;
  test('placeholders: specifiers, variables, substitutions; %% is a literal', () => {
    assert.deepEqual(p('/services/web/%H').parts, [{ kind: 'text', text: '/services/web/' }, { kind: 'specifier', text: '%H' }]);
    assert.deepEqual(p('/a/${HOST}-$PORT/$(hostname)/`id -u`/100%%').parts.map((x) => x.kind + ':' + x.text), [
      'text:/a/', 'variable:${HOST}', 'text:-', 'variable:$PORT', 'text:/', 'variable:$(hostname)', 'text:/', 'variable:`id -u`', 'text:/100%',
    ]);
    assert.deepEqual(p('/a/$(echo $(x))/b').parts.map((x) => x.text), ['/a/', '$(echo $(x))', '/b']);
  });

  test('a read prefix matches a writer with a placeholder; exact keys match exactly', () => {
    assert.ok(patternsIntersect(p('/services/helloworld/'), true, p('/services/helloworld/%H'), false));
    assert.ok(!patternsIntersect(p('/services/hello/'), true, p('/services/helloworld/%H'), false));
    assert.ok(!patternsIntersect(p('/services/other/'), true, p('/services/helloworld/%H'), false));
    assert.ok(patternsIntersect(p('/services/changed/helloworld'), false, p('/services/changed/helloworld'), false));
    assert.ok(!patternsIntersect(p('/services/changed/helloworld'), false, p('/services/changed/hello'), false));
    assert.ok(patternsIntersect(p('/services/x/$(hostname)'), false, p('/services/x/%H'), false));
    assert.ok(patternsIntersect(p('/a/${K}/c'), false, p('/a/b/c'), false));
    assert.ok(!patternsIntersect(p('/a/${K}/c'), false, p('/a/b/d'), false));
    assert.ok(patternsIntersect(p('/a/'), true, p('/a/'), true));
    assert.ok(patternsIntersect(p('/services'), true, p('/services/web/%H'), false));
  });

  test('inside one unit, a specifier has one value', () => {
    assert.ok(patternsIntersect(p('/services/web/%H'), false, p('/services/web/%H'), false, 'same-unit'));
    assert.ok(!patternsIntersect(p('/services/web/%i'), false, p('/services/web/%H'), false, 'same-unit'));
    assert.ok(patternsIntersect(p('/services/web/%i'), false, p('/services/web/%H'), false, 'cross'));
    assert.ok(!patternsIntersect(p('/services/web/core-01'), false, p('/services/web/%H'), false, 'same-unit'));
    assert.ok(patternsIntersect(p('/services/web/$(hostname)'), false, p('/services/web/%H'), false, 'same-unit'));
  });

  test('syntax: relative keys and empty segments; dynamic heads are not judged', () => {
    assert.equal(keyProblems(p('/services/web/%H')).length, 0);
    assert.match(keyProblems(p('services/web'))[0], /relative/);
    assert.match(keyProblems(p('/services//web'))[0], /empty path segment/);
    assert.equal(keyProblems(p('$PREFIX/web')).length, 0);
    assert.equal(keyProblems(p('%i/web')).length, 0);
    assert.equal(keyProblems(p('/services/web/')).length, 0);
  });
});
