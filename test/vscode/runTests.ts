// Runs the extension-host integration suite (test/vscode/suite) with @vscode/test-electron.
//
//   npm run test:vscode                     offline: through code-server + headless chromium (tools/vscode/code-shim)
//   UNIT_FLEET_VSCODE=desktop npm run ...   desktop VS Code, downloaded by @vscode/test-electron (needs internet)
//   UNIT_FLEET_VSCODE=/path/to/code npm ... any VS Code executable
//   UNIT_FLEET_TEST_GREP=diagnostics ...    only the tests whose full title matches
//   UNIT_FLEET_TEST_CLUSTER=off ...         no local cluster (the suite's cluster tests skip)
//
// The cluster tests (suite/cluster*.test.ts) run against the real local cluster (harness/): it is
// brought up here, before VS Code starts, and its definition file passed to the extension host as
// UNIT_FLEET_TEST_CLUSTER_FILE; it is taken down at the end. On hosts that cannot run it the
// cluster tests skip with the reason (under CI=true they fail).
import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { canRunCluster, down, up } from '../../harness/index';

const repoRoot = path.resolve(__dirname, '..', '..');
const suiteSource = path.join(__dirname, 'suite');
const suiteOut = path.join(repoRoot, 'dist', 'test', 'vscode', 'suite');

/** Bundles index.ts and every *.test.ts to dist/test/vscode/suite/ (vscode and mocha stay external). */
async function bundleSuite(): Promise<void> {
  fs.rmSync(suiteOut, { recursive: true, force: true });
  const entryPoints = fs
    .readdirSync(suiteSource)
    .filter((f) => f === 'index.ts' || f.endsWith('.test.ts'))
    .map((f) => path.join(suiteSource, f));
  await esbuild.build({
    entryPoints,
    outdir: suiteOut,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

/** A fresh copy of the example workspace, so tests may write files without touching the repository. */
function prepareWorkspace(): string {
  const workspace = path.join(repoRoot, '.vscode-test', 'workspaces', 'helloworld');
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.cpSync(path.join(repoRoot, 'examples', 'helloworld'), workspace, { recursive: true });
  return workspace;
}

function vscodeExecutablePath(): string | undefined {
  const choice = process.env.UNIT_FLEET_VSCODE;
  if (choice === 'desktop') return undefined; // @vscode/test-electron downloads VS Code
  return choice ? path.resolve(choice) : path.join(repoRoot, 'tools', 'vscode', 'code-shim');
}

/** Brings the local cluster up for the cluster tests; returns how to take it down (undefined: none). */
async function startCluster(): Promise<(() => Promise<void>) | undefined> {
  const grep = process.env.UNIT_FLEET_TEST_GREP;
  if (process.env.UNIT_FLEET_TEST_CLUSTER === 'off' || (grep && !/cluster/i.test(grep))) return undefined;
  const readiness = canRunCluster({ docker: true });
  if (!readiness.ok) {
    console.log(`local cluster not available (${readiness.reason}): the cluster tests skip`);
    return undefined;
  }
  const started = Date.now();
  const result = await up({ machines: 3, docker: true, log: (line) => console.log(`[cluster] ${line}`) });
  console.log(`local cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.definitionFile}`);
  process.env.UNIT_FLEET_TEST_CLUSTER_FILE = result.definitionFile;
  return async () => {
    const result = await down({ log: (line) => console.log(`[cluster] ${line}`) });
    console.log(`local cluster down in ${(result.ms / 1000).toFixed(1)} s`);
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  await bundleSuite();
  const workspace = prepareWorkspace();
  const stopCluster = await startCluster();
  try {
    await runTests({
      vscodeExecutablePath: vscodeExecutablePath(),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(suiteOut, 'index'),
      launchArgs: [workspace, '--disable-extensions'],
    });
  } finally {
    await stopCluster?.().catch((error: unknown) => console.error(`cluster down failed: ${error instanceof Error ? error.message : String(error)}`));
    console.log(`test:vscode took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
