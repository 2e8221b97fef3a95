// What every verb gets: parsed arguments, the cluster (opened lazily from --cluster or
// UNIT_FLEET_CLUSTER, secrets from the environment), and output helpers.
import { Cluster } from '../cluster/cluster';
import { definitionPath, loadDefinition } from '../cluster/definition';
import { flag, type ParsedArgs } from './args';

export class CliContext {
  private clusterObject: Cluster | undefined;
  readonly json: boolean;
  readonly quiet: boolean;

  constructor(
    readonly args: ParsedArgs,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.json = flag(args, 'json');
    this.quiet = flag(args, 'quiet');
  }

  get cluster(): Cluster {
    if (!this.clusterObject) {
      const file = definitionPath(typeof this.args.options.get('cluster') === 'string' ? (this.args.options.get('cluster') as string) : undefined, this.env);
      const config = loadDefinition(file);
      const trust = flag(this.args, 'trust-host-key');
      this.clusterObject = new Cluster(config, {
        // The CLI is the one place where secrets come from the environment.
        secrets: { env: this.env },
        trustUnknownHostKey: trust
          ? (key) => {
              this.progress(`trusting the unknown host key of ${key.machine}: ${key.keyType} ${key.fingerprint}`);
              return true;
            }
          : undefined,
        progress: (message) => this.progress(message),
      });
    }
    return this.clusterObject;
  }

  progress(message: string): void {
    if (!this.quiet) process.stderr.write(`${message}\n`);
  }

  out(text: string): void {
    process.stdout.write(text);
  }

  async close(): Promise<void> {
    await this.clusterObject?.close();
  }
}
