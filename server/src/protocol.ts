// Custom LSP messages between the Unit Fleet client and server, declared once for both sides.
// The server asks the client about the connected cluster; with no cluster the client answers
// with empty lists (or does not handle the request at all, which the server treats the same).
import { RequestType } from 'vscode-languageserver-protocol';
import type { LiveMachine } from './language/live';

export type { LiveMachine };

export interface LiveMachinesParams {}
export const LiveMachinesRequest = new RequestType<LiveMachinesParams, LiveMachine[], void>('unitFleet/liveMachines');

export interface LiveEtcdKeysParams {
  prefix: string;
  limit: number;
}
export const LiveEtcdKeysRequest = new RequestType<LiveEtcdKeysParams, string[], void>('unitFleet/liveEtcdKeys');
