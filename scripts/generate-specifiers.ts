// Generates server/src/language/catalog/specifiers.generated.json from
// ../shared/data/systemd/specifiers.tsv (systemd.unit(5) "Specifiers", meanings written for this
// project, and which ones fleet expands inside [X-Fleet]).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const source = join(root, '..', 'shared', 'data', 'systemd', 'specifiers.tsv');
const target = join(root, 'server', 'src', 'language', 'catalog', 'specifiers.generated.json');

export interface SpecifierRow {
  specifier: string;
  meaning: string;
  fleet: boolean;
}

export function readSpecifiers(path = source): SpecifierRow[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const cols = header.split('\t');
  const at = (name: string) => cols.indexOf(name);
  return lines.map((l) => {
    const f = l.split('\t');
    return { specifier: f[at('specifier')], meaning: f[at('meaning')], fleet: f[at('fleet_expands_in_x_fleet')] === 'yes' };
  });
}

if (require.main === module) {
  writeFileSync(target, JSON.stringify({ source: 'shared/data/systemd/specifiers.tsv (systemd.unit(5) Specifiers)', specifiers: readSpecifiers() }, null, 1) + '\n');
  console.log(`wrote ${target}`);
}
