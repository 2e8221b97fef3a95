// A stand-in for the `code` executable that @vscode/test-electron's runTests() spawns as
// `vscodeExecutablePath`: it accepts VS Code's usual command line and runs the extension tests
// through code-server + headless chromium (see extension-tests.ts). Stdout gets the extension host's
// console output; the exit code is the one the workbench reports.
//
//   code-shim [workspace] --extensionDevelopmentPath=DIR... --extensionTestsPath=MODULE
//             [--user-data-dir=DIR] [--extensions-dir=DIR] [Electron/VS Code flags, ignored]
import * as path from 'node:path';
import { runExtensionTests } from './extension-tests';

export interface ParsedArgs {
  extensionDevelopmentPaths: string[];
  extensionTestsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  workspace?: string;
  ignored: string[];
}

/** Options VS Code takes as `--name value` as well as `--name=value`. */
const withValue = new Set(['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir', 'locale', 'log', 'folder-uri', 'file-uri', 'remote', 'profile', 'inspect-extensions', 'inspect-brk-extensions']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const parsed: ParsedArgs = { extensionDevelopmentPaths: [], ignored: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      parsed.workspace ??= path.resolve(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    let value = eq < 0 ? undefined : arg.slice(eq + 1);
    if (value === undefined && withValue.has(name) && i + 1 < argv.length) value = argv[++i];
    switch (name) {
      case 'extensionDevelopmentPath':
        if (value) parsed.extensionDevelopmentPaths.push(path.resolve(value));
        break;
      case 'extensionTestsPath':
        parsed.extensionTestsPath = value && path.resolve(value);
        break;
      case 'user-data-dir':
        parsed.userDataDir = value && path.resolve(value);
        break;
      case 'extensions-dir':
        parsed.extensionsDir = value && path.resolve(value);
        break;
      default:
        parsed.ignored.push(arg); // --no-sandbox, --disable-gpu-sandbox, --skip-welcome, …
    }
  }
  return parsed;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args.extensionTestsPath || args.extensionDevelopmentPaths.length === 0) {
    console.error('code-shim only runs extension tests: pass --extensionDevelopmentPath=DIR and --extensionTestsPath=MODULE');
    return 64;
  }
  return runExtensionTests({
    extensionDevelopmentPaths: args.extensionDevelopmentPaths,
    extensionTestsPath: args.extensionTestsPath,
    workspace: args.workspace,
    userDataDir: args.userDataDir,
    extensionsDir: args.extensionsDir,
  });
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exit(1);
    },
  );
}
