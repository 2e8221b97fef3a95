// Bundles the extension, the language server and the CLI into dist/ (one file each, no runtime node_modules).
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');

const entries = [
  { in: 'client/src/extension.ts', out: 'extension', external: ['vscode'] },
  { in: 'server/src/server.ts', out: 'server', external: [] },
  { in: 'client/src/cli/main.ts', out: 'cli', external: [] },
].filter((e) => existsSync(e.in));

const contexts = await Promise.all(
  entries.map((e) =>
    esbuild.context({
      entryPoints: { [e.out]: e.in },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outdir: 'dist',
      external: e.external,
      // Minified: the server's cold start is mostly parse time. Source maps keep stacks readable.
      sourcemap: 'linked',
      minify: true,
      logLevel: 'warning',
      banner: e.out === 'cli' ? { js: '#!/usr/bin/env node' } : undefined,
    }),
  ),
);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
