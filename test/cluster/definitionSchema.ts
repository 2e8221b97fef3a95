// Validates cluster definition files against schemas/cluster.schema.json with Ajv in strict mode
// (strict also rejects mistakes in the schema itself, such as unknown keywords).
import Ajv from 'ajv';
import * as fs from 'node:fs';
import { clusterPaths } from '../../harness/paths';

export const schema = JSON.parse(fs.readFileSync(clusterPaths().schema, 'utf8')) as Record<string, unknown>;

const ajv = new Ajv({ strict: true, allErrors: true, formats: { uri: true } });
const validate = ajv.compile(schema);

/** Empty when valid; otherwise one line per problem ("/machines/0/port must be <= 65535"). */
export function definitionErrors(definition: unknown): string[] {
  if (validate(definition)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`);
}
