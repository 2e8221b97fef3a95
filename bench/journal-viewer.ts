// `tsx bench/journal-viewer.ts` (after `npm run build`): the journal viewer's throughput and memory,
// measured in a real VS Code (code-server + headless chromium, as the extension-host tests run):
// bench/journal-viewer.host.ts runs in the extension host and prints its table.
//   JOURNAL_BENCH_RATES=5000,10000,...  lines per second to try;  JOURNAL_BENCH_SECONDS=4  per rate
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runExtensionTests } from '../tools/vscode/extension-tests';

const repoRoot = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  const out = path.join(repoRoot, 'dist', 'bench', 'journal-viewer');
  await esbuild.build({
    entryPoints: { index: path.join(__dirname, 'journal-viewer.host.ts') },
    outdir: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const workspace = path.join(repoRoot, '.vscode-test', 'workspaces', 'bench-journal');
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.cpSync(path.join(repoRoot, 'examples', 'helloworld'), workspace, { recursive: true });
  const code = await runExtensionTests({
    extensionDevelopmentPaths: [repoRoot],
    extensionTestsPath: path.join(out, 'index'),
    workspace,
    out: (line) => {
      if (/journal viewer|\/s \||maxLines/.test(line)) console.log(line);
    },
  });
  process.exit(code);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
