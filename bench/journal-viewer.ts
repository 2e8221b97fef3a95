// `tsx bench/journal-viewer.ts` (after `npm run build`): the journal viewer's throughput and memory.
//
// 1. End to end in a real VS Code (code-server + headless chromium, as the extension-host tests run):
//    bench/journal-viewer.host.ts runs in the extension host, pushes lines into panels at fixed
//    rates and reads back what the webview received and rendered.
// 2. The webview alone in headless chromium (the built dist/webview/journal.js with a stand-in for
//    the VS Code API), where the DevTools protocol can collect garbage and read the heap exactly:
//    render cost per line, and memory at the line cap.
// 3. The extension host's side of the line cap (the panel's ring of lines), in this process.
//   JOURNAL_BENCH_RATES=5000,10000,...  lines per second to try;  JOURNAL_BENCH_SECONDS=4  per rate
//   JOURNAL_BENCH_PARTS=host,webview,ring  which parts to run
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { journalHtml } from '../client/src/views/journal/html';
import { Ring } from '../client/src/views/journal/buffer';
import { toWireLine, type WireLine } from '../client/src/views/journal/protocol';
import { launchChromium } from '../tools/vscode/chromium';
import { runExtensionTests } from '../tools/vscode/extension-tests';

const repoRoot = path.resolve(__dirname, '..');

/** The bench page's window (browser code; the project compiles without DOM types). */
interface Page {
  postMessage(message: unknown, origin: string): void;
  __out: { type: string; report?: unknown }[];
}
const parts = (process.env.JOURNAL_BENCH_PARTS ?? 'host,webview,ring').split(',');
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const paths = ['/', '/health', '/api/hello', '/api/hello?name=fleet', '/static/app.js'];

/** The same ~90-character lines as the extension-host part. */
function wireLines(from: number, count: number): WireLine[] {
  const out: WireLine[] = [];
  for (let k = 0; k < count; k++) {
    const i = from + k;
    const m = (i % 3) + 1;
    out.push(
      toWireLine(
        {
          realtimeUs: Date.now() * 1000,
          message: `GET ${paths[i % paths.length]} 200 ${((i * 37) % 900) / 100}ms request ${i} from 10.0.0.${m} user-agent curl/8.5.0`,
          priority: i % 97 === 0 ? 3 : i % 41 === 0 ? 4 : 6,
          machine: `m${m}`,
          unit: `helloworld@${m}.service`,
          syslogIdentifier: 'docker',
          pid: 4000 + m,
          cursor: `s=bench;i=${i.toString(16)}`,
        },
        i,
      ),
    );
  }
  return out;
}

async function endToEnd(): Promise<number> {
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
  return runExtensionTests({
    extensionDevelopmentPaths: [repoRoot],
    extensionTestsPath: path.join(out, 'index'),
    workspace,
    out: (line) => {
      if (/journal viewer|\/s \||maxLines/.test(line)) console.log(line);
    },
  });
}

async function webviewAlone(): Promise<void> {
  const js = fs.readFileSync(path.join(repoRoot, 'dist', 'webview', 'journal.js'), 'utf8');
  const css = fs.readFileSync(path.join(repoRoot, 'dist', 'webview', 'journal.css'), 'utf8');
  const theme = ':root{--vscode-editor-font-family:monospace;--vscode-editor-font-size:13px;--vscode-font-size:13px}';
  const html = journalHtml({ title: 'Journal: bench', cspSource: "'self'", scriptUri: 'about:blank', styleUri: 'about:blank' })
    .replace(/<meta http-equiv[^>]*>/, '')
    .replace(/<link rel="stylesheet"[^>]*>/, () => `<style>${theme}${css}</style>`)
    .replace(
      /<script nonce[^>]*><\/script>/,
      () => `<script>window.__out=[];window.acquireVsCodeApi=()=>({postMessage:m=>window.__out.push(m),getState:()=>undefined,setState:()=>{}});</script><script>${js}</script>`,
    );
  const browser = await launchChromium({ viewport: { width: 1280, height: 800 } });
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.setContent(html);
    const cdp = await browser.context.newCDPSession(page);
    const post = (message: unknown): Promise<void> => page.evaluate((m) => (globalThis as unknown as Page).postMessage(m, '*'), message as object);
    const report = async (): Promise<{ received: number; rendered: number; renderMsTotal: number; behindMsMax?: number; domNodes: number }> => {
      await page.evaluate(() => ((globalThis as unknown as Page).__out = []));
      await post({ type: 'query', id: 1 });
      return page.evaluate(async () => {
        const w = globalThis as unknown as Page;
        for (let i = 0; i < 600; i++) {
          const found = w.__out.find((m) => m.type === 'report');
          if (found) return found.report as never;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error('no report');
      });
    };
    const heap = async (): Promise<{ used: number; nodes: number }> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const usage = await cdp.send('Runtime.getHeapUsage');
      const counters = (await cdp.send('Memory.getDOMCounters')) as { nodes: number };
      return { used: usage.usedSize, nodes: counters.nodes };
    };
    const snapshot = (maxLines: number): Promise<void> =>
      post({ type: 'snapshot', title: 't', columns: { machine: true, unit: true }, settings: { maxLines }, state: 'connected', lines: [], dropped: 0 });

    console.log('journal viewer, webview alone (headless chromium): lines made in the page, posted every 50 ms for 4 s');
    for (const rate of [10_000, 40_000, 100_000, 200_000]) {
      await snapshot(10_000);
      const before = await report();
      // Browser code, as text: the project compiles without DOM types.
      await page.evaluate(`new Promise((resolve) => {
        const paths = ${JSON.stringify(paths)};
        let seq = 0;
        const start = performance.now();
        const timer = setInterval(() => {
          const due = Math.floor(((performance.now() - start) / 1000) * ${rate});
          const lines = [];
          const ts = Date.now();
          for (; seq < due; seq++) {
            const m = (seq % 3) + 1;
            lines.push({ seq, ts, text: 'GET ' + paths[seq % 5] + ' 200 ' + ((seq * 37) % 900) / 100 + 'ms request ' + seq + ' from 10.0.0.' + m + ' user-agent curl/8.5.0', pri: seq % 97 === 0 ? 3 : seq % 41 === 0 ? 4 : 6, machine: 'm' + m, unit: 'helloworld@' + m + '.service', ident: 'docker', pid: 4000 + m });
          }
          window.postMessage({ type: 'lines', lines }, '*');
          if (performance.now() - start > 4000) { clearInterval(timer); resolve(); }
        }, 50);
      })`);
      const after = await report();
      const lines = after.received;
      const ms = after.renderMsTotal - before.renderMsTotal;
      console.log(
        `${String(rate).padStart(7)}/s | ${lines} lines | ${ms.toFixed(0)} ms in frames, ${((ms / lines) * 1000).toFixed(1)} µs a line, ${(ms / 40).toFixed(1)}% of a core | newest line behind the clock: at most ${after.behindMsMax} ms | ${after.domNodes} elements`,
      );
    }
    console.log('journal viewer, webview alone: memory at the line cap (after garbage collection)');
    for (const maxLines of [10_000, 100_000]) {
      await snapshot(maxLines);
      await page.waitForTimeout(200);
      const empty = await heap();
      for (let i = 0; i < 2 * maxLines; i += 5000) await post({ type: 'lines', lines: wireLines(i, 5000) });
      await report();
      const full = await heap();
      console.log(`maxLines ${maxLines}: JS heap ${mib(empty.used)} → ${mib(full.used)} (+${mib(full.used - empty.used)}, ${((full.used - empty.used) / maxLines).toFixed(0)} bytes a line); DOM nodes ${empty.nodes} → ${full.nodes}`);
    }
  } finally {
    await browser.close();
  }
}

function ringAlone(): void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  console.log('journal viewer, extension host: the panel ring at the line cap (after garbage collection)');
  for (const maxLines of [10_000, 100_000]) {
    gc();
    const before = process.memoryUsage().heapUsed;
    const ring = new Ring<WireLine>(maxLines);
    for (let i = 0; i < 2 * maxLines; i += 1000) ring.pushAll(wireLines(i, 1000));
    gc();
    const after = process.memoryUsage().heapUsed;
    console.log(`maxLines ${maxLines}: heap +${mib(after - before)} (${((after - before) / maxLines).toFixed(0)} bytes a line), ${ring.length} lines held`);
  }
}

async function main(): Promise<void> {
  let code = 0;
  if (parts.includes('ring')) ringAlone();
  if (parts.includes('webview')) await webviewAlone();
  if (parts.includes('host')) code = await endToEnd();
  process.exit(code);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
