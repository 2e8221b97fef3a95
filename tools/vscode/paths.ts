// Where the VS Code tooling keeps things: the repository root, the ignored `.code-server/` folder
// (the on-demand code-server install and one folder per run) and the extension's identity.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

/** Ignored folder (see .gitignore) holding the code-server install and per-run state. */
export const codeServerHome = path.join(repoRoot, '.code-server');

/** code-server 4.100.3 = VS Code 1.100.3, the newest release that runs on Node 20. */
export const codeServerVersion = '4.100.3';

export const codeServerInstallDir = path.join(codeServerHome, 'install');
export const codeServerPackageDir = path.join(codeServerInstallDir, 'node_modules', 'code-server');
export const codeServerEntry = path.join(codeServerPackageDir, 'out', 'node', 'entry.js');

export const exampleWorkspace = path.join(repoRoot, 'examples', 'helloworld');

export interface ExtensionIdentity {
  publisher: string;
  name: string;
  version: string;
  /** `<publisher>.<name>`, the id `vscode.extensions.getExtension` takes. */
  id: string;
  /** `<publisher>.<name>-<version>`, the folder name VS Code expects in an extensions dir. */
  folderName: string;
}

export function extensionIdentity(root = repoRoot): ExtensionIdentity {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  const id = `${manifest.publisher}.${manifest.name}`;
  return { ...manifest, id, folderName: `${id}-${manifest.version}` };
}
