// Bundles the extension, the language server and the CLI into dist/ (one file each, no runtime node_modules).
import * as esbuild from 'esbuild';
import { cpSync, existsSync, readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');

const entries = [
  { in: 'client/src/extension.ts', out: 'extension', external: ['vscode'] },
  { in: 'server/src/server.ts', out: 'server', external: [] },
  { in: 'client/src/cli/main.ts', out: 'cli', external: [] },
  // The cluster core for the extension, a separate file loaded on first connect: activation does
  // not parse its ~1.3 MB (ssh2, etcd3/gRPC, dockerode).
  { in: 'client/src/connection/core.ts', out: 'clusterCore', external: [] },
].filter((e) => existsSync(e.in));

// The cluster core's dependencies: ssh2 and cpu-features try optional native addons inside
// try/catch (left external, they fall back to pure JavaScript); etcd3 loads its .proto files at
// run time from `${__dirname}/../proto`, which in the bundle becomes dist/proto (copied below).
const clusterCore = {
  name: 'cluster-core',
  setup(build) {
    build.onResolve({ filter: /\.node$/ }, (args) => ({ path: args.path, external: true }));
    build.onLoad({ filter: /etcd3[\\/]lib[\\/]connection-pool\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('/../proto/', '/proto/'),
      loader: 'js',
    }));
  },
};
if (entries.some((e) => e.out === 'cli')) cpSync('node_modules/etcd3/proto', 'dist/proto', { recursive: true });

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
      plugins: [clusterCore],
      // Minified: the server's cold start is mostly parse time. Source maps keep stacks readable.
      sourcemap: 'linked',
      minify: true,
      logLevel: 'warning',
      banner: e.out === 'cli' ? { js: '#!/usr/bin/env node' } : undefined,
    }),
  ),
);

// The journal viewer's webview (browser code): dist/webview/journal.js and journal.css.
if (existsSync('client/webview/journal/main.ts')) {
  contexts.push(
    await esbuild.context({
      entryPoints: { 'webview/journal': 'client/webview/journal/main.ts' },
      bundle: true,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      outdir: 'dist',
      sourcemap: 'linked',
      minify: true,
      logLevel: 'warning',
    }),
  );
}

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
