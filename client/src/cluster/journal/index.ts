// Journals: `journalctl -o json` parsed, followed with resume after a drop, merged across machines.
export * from './parse';
export * from './merge';
export * from './journalctl';
export * from './follow';
