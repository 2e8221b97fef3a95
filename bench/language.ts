// Language-server benchmark at the LSP boundary (the built dist/server.js over stdio):
// cold start, didOpen → publishDiagnostics per corpus file, edits with the whole corpus open,
// completion latency, a 10,000-line file, and the server's peak memory.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { CompletionRequest, DidChangeTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { corpusFiles } from '../test/helpers/corpus';
import { startServer } from '../test/helpers/lspClient';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const ms = (v: number) => `${v.toFixed(2)} ms`;
const stats = (label: string, values: number[]) =>
  console.log(`${label.padEnd(44)} n=${String(values.length).padEnd(6)} p50 ${ms(percentile(values, 50)).padEnd(10)} p99 ${ms(percentile(values, 99)).padEnd(10)} max ${ms(Math.max(...values))}`);

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function coldStart(runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const s = await startServer();
    times.push(performance.now() - t0);
    await s.close();
  }
  return times;
}

async function main(): Promise<void> {
  console.log(`# npm run bench — language server (node ${process.version})`);
  stats('cold start (spawn → initialize answered)', await coldStart(10));

  const corpus = corpusFiles();
  const lsp = await startServer();
  const open: number[] = [];
  const uris: string[] = [];
  for (const f of corpus) {
    const uri = pathToFileURL(f.path).toString();
    uris.push(uri);
    const t0 = performance.now();
    await lsp.open(uri, f.text);
    open.push(performance.now() - t0);
  }
  stats(`didOpen → diagnostics (${corpus.length} corpus files)`, open);
  console.log(`server peak memory (VmHWM) with the whole corpus open: ${peakRssMb(lsp.process.pid!).toFixed(1)} MB`);

  // Every corpus file is open now: edit files one after another.
  const edits: number[] = [];
  for (let i = 0; i < 500; i++) {
    const uri = uris[(i * 7919) % uris.length];
    const next = lsp.nextDiagnostics(uri);
    const t0 = performance.now();
    await lsp.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 100 + i },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: i % 2 ? '#\n' : '' }],
    });
    await next;
    edits.push(performance.now() - t0);
  }
  stats('edit → diagnostics (whole corpus open)', edits);

  const uri = 'file:///bench/complete.service';
  await lsp.open(uri, '[Unit]\nDescription=x\nAfter=\n[Service]\n\nRestart=\nExecStart=/bin/true\n');
  const positions = [{ line: 4, character: 0 }, { line: 5, character: 8 }, { line: 2, character: 6 }, { line: 3, character: 1 }];
  const completion: number[] = [];
  for (let i = 0; i < 400; i++) {
    const t0 = performance.now();
    await lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positions[i % positions.length] });
    completion.push(performance.now() - t0);
  }
  stats('completion request → answer', completion);

  const big = '[Unit]\nDescription=big\n[Service]\nExecStart=/bin/true\n' + Array.from({ length: 10000 }, (_, i) => `Environment=K${i}=v${i}`).join('\n') + '\n';
  const bigTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await lsp.open(`file:///bench/big${i}.service`, big);
    bigTimes.push(performance.now() - t0);
  }
  stats('10,000-line file: didOpen → diagnostics', bigTimes);
  console.log(`server peak memory (VmHWM) after all of the above (incl. five 10,000-line files): ${peakRssMb(lsp.process.pid!).toFixed(1)} MB`);
  await lsp.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
