// Settings of the language service (from the client's `unitFleet.*` configuration).
import type { SeveritySetting } from './rules/rule';

export interface LanguageSettings {
  /** Per-rule severity overrides, by rule code. */
  severity?: Record<string, SeveritySetting>;
  /** The etcd API the cluster's units use; v2 verbs warn under v3 (the default). */
  etcdApiVersion?: 'v2' | 'v3';
}

export function settingsFrom(raw: unknown): LanguageSettings {
  const r = (raw ?? {}) as { diagnostics?: { severity?: LanguageSettings['severity'] }; etcd?: { apiVersion?: string } };
  return {
    severity: r.diagnostics?.severity ?? {},
    etcdApiVersion: r.etcd?.apiVersion === 'v2' ? 'v2' : 'v3',
  };
}
