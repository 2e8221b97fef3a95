// The journal viewer's HTML shell: strict CSP (the script by nonce, styles and script from the
// extension's dist/webview folder only), the controls as static, labelled markup; the bundled
// script (client/webview/journal) wires them up. No inline handlers, no inline styles.
import { randomBytes } from 'node:crypto';

export interface ShellOptions {
  title: string;
  /** `webview.cspSource` */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function journalHtml(options: ShellOptions): string {
  const nonce = options.nonce ?? newNonce();
  const csp = [
    "default-src 'none'",
    `style-src ${options.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${options.cspSource}`,
    `img-src ${options.cspSource} data:`,
  ].join('; ');
  const title = escapeHtml(options.title);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}">
<title>${title}</title>
</head>
<body class="timestamps">
<header class="toolbar" role="group" aria-label="Journal viewer controls">
  <div class="group">
    <button id="follow" type="button" aria-pressed="true" title="Follow new lines (End)">Follow</button>
    <button id="timestamps" type="button" aria-pressed="true" title="Show timestamps">Timestamps</button>
    <button id="machine" type="button" aria-pressed="false" title="Show the machine of each line">Machine</button>
    <button id="unit" type="button" aria-pressed="false" title="Show the unit of each line">Unit</button>
    <button id="wrap" type="button" aria-pressed="false" title="Wrap long lines">Wrap</button>
    <button id="clear" type="button" title="Clear the lines shown so far">Clear</button>
  </div>
  <div class="group search" role="search">
    <input id="search" type="text" placeholder="Search" aria-label="Search messages" aria-describedby="search-error" spellcheck="false" autocomplete="off">
    <button id="match-case" class="option" type="button" aria-pressed="false" aria-label="Match case" title="Match case">Aa</button>
    <button id="regex" class="option" type="button" aria-pressed="false" aria-label="Use regular expression" title="Use regular expression">.*</button>
    <button id="filter" type="button" aria-pressed="false" title="Show only the lines that match">Filter</button>
    <button id="prev" type="button" aria-label="Previous match" title="Previous match (Shift+Enter)">↑</button>
    <button id="next" type="button" aria-label="Next match" title="Next match (Enter)">↓</button>
    <span id="match-info" class="info" aria-live="polite"></span>
    <span id="search-error" class="error" role="alert"></span>
  </div>
  <span id="count" class="info count" aria-live="off">0 lines</span>
</header>
<div id="banner" role="status" hidden></div>
<div id="log" role="log" aria-live="off" aria-label="${title}" tabindex="0"></div>
<button id="resume" type="button" hidden>↓ Resume following</button>
<script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
