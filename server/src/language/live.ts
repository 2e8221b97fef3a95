// What the language service may ask of a connected cluster (machines for MachineID= and
// MachineMetadata=, live etcd keys for key completion). The server implements it with a custom
// request to the client (see ../protocol.ts); without a cluster every answer is empty.
export interface LiveMachine {
  machineId: string;
  hostname: string;
  metadata: Record<string, string>;
}

export interface LiveCluster {
  machines(): Promise<LiveMachine[]>;
  /** Keys (not values) under `prefix`, at most `limit`. */
  etcdKeys(prefix: string, limit: number): Promise<string[]>;
}

export const NO_CLUSTER: LiveCluster = {
  machines: async () => [],
  etcdKeys: async () => [],
};
