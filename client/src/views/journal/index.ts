// The journal viewer: registerJournalViewer(context) from extension.ts returns the API through
// which the cluster layer (and tests) open panels: openJournal(source, title). One panel per key
// (by default the title, e.g. "Journal: helloworld@*"); opening it again reveals the open one.
import * as vscode from 'vscode';
import { JournalPanel, type JournalPanelOptions } from './panel';
import type { ViewerSettings } from './protocol';
import type { JournalSource } from './source';
import { registerJournalTestCommands } from './testCommands';

export { JournalPanel, type JournalPanelOptions } from './panel';
export type { ViewerReport } from './protocol';
export { JournalSourceEmitter, type JournalSource, type JournalState, type JournalViewEntry } from './source';

export interface OpenJournalOptions extends JournalPanelOptions {
  /** Panels are one per key (default: the title). */
  key?: string;
}

export type OpenJournal = (source: JournalSource | (() => JournalSource), title: string, options?: OpenJournalOptions) => JournalPanel;

export interface JournalViewerApi {
  /**
   * Opens (or reveals) the panel for `title`, fed by `source`. When a panel with the same key is
   * already open it is revealed and the new source is disposed (a factory is not called).
   */
  openJournal: OpenJournal;
}

export const maxLinesSetting = 'unitFleet.journal.maxLines';
export const defaultMaxLines = 10_000;

export function viewerSettings(): ViewerSettings {
  const value = vscode.workspace.getConfiguration().get<number>(maxLinesSetting, defaultMaxLines);
  const maxLines = Number.isFinite(value) ? Math.min(1_000_000, Math.max(100, Math.floor(value))) : defaultMaxLines;
  return { maxLines };
}

export function registerJournalViewer(context: vscode.ExtensionContext): JournalViewerApi {
  const panels = new Map<string, JournalPanel>();

  const openJournal: OpenJournal = (source, title, options = {}) => {
    const key = options.key ?? title;
    const open = panels.get(key);
    if (open && !open.isDisposed) {
      if (typeof source !== 'function') source.dispose();
      open.reveal(options.preserveFocus);
      return open;
    }
    const panel = new JournalPanel(context.extensionUri, typeof source === 'function' ? source() : source, title, viewerSettings(), options);
    panels.set(key, panel);
    panel.onDidDispose(() => {
      if (panels.get(key) === panel) panels.delete(key);
    });
    return panel;
  };

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(maxLinesSetting)) return;
      const settings = viewerSettings();
      for (const panel of panels.values()) panel.updateSettings(settings);
    }),
    { dispose: () => [...panels.values()].forEach((panel) => panel.dispose()) },
  );

  // Test-only commands exist only when the extension runs its tests (see testCommands.ts).
  const testMode = context.extensionMode === vscode.ExtensionMode.Test || process.env.UNIT_FLEET_TEST_MODE === '1';
  if (testMode) registerJournalTestCommands(context, openJournal);

  return { openJournal };
}
