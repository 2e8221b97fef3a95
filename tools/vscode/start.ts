// `npm start`: build the extension, install code-server if needed, open the example workspace
// (examples/helloworld) with the extension in a real VS Code, print the URL, run until Ctrl-C.
// Port: $PORT or 8080; when that one is taken, any free port.
import { codeServerVersion, exampleWorkspace } from './paths';
import { ensureCodeServer } from './install-code-server';
import { launchCodeServer } from './launch';
import { buildExtension } from './proc';

interface DemoCluster {
  /** VS Code settings pointing the extension at the cluster (e.g. its definition file). */
  settings?: Record<string, unknown>;
  /** One line for the user: where the cluster is, or why there is none. */
  note: string;
  stop?: () => Promise<void>;
}

// ─── Local demo cluster: hook for issue 7 ────────────────────────────────────────────────────────
// Bring the local demo cluster up here when the machine allows it (see harness/ and
// `npm run cluster:up`); otherwise return a note saying why, and the workspace opens without one.
// Returned `settings` are merged into the run's VS Code user settings; `stop` runs on Ctrl-C.
async function startDemoCluster(): Promise<DemoCluster | undefined> {
  return undefined;
}
// ──────────────────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  console.log('Building the extension…');
  await buildExtension();
  await ensureCodeServer((line) => console.log(line));
  const cluster = await startDemoCluster();
  const preferred = Number(process.env.PORT ?? 8080);
  const server = await launchCodeServer({ name: 'start', port: preferred, folder: exampleWorkspace, settings: cluster?.settings, handleSignals: false });
  let stopping = false;
  const shutdown = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await server.stop();
    await cluster?.stop?.();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown());
  const url = server.folderUrl(exampleWorkspace);
  const lines = [
    '',
    `  Unit Fleet is running in code-server ${codeServerVersion} (VS Code 1.100) with the example workspace:`,
    '',
    `      ${url}`,
    '',
    ...(server.port !== preferred ? [`  (port ${preferred} was taken, so it uses ${server.port}; set PORT to choose)`] : []),
    ...(cluster ? [`  Cluster: ${cluster.note}`] : []),
    `  Logs: ${server.logFile}`,
    '  Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
  await server.exited;
  if (stopping) return;
  await cluster?.stop?.();
  console.error(`code-server stopped; its log: ${server.logFile}`);
  process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
