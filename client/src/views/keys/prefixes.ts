// Key paths of the etcd Keys view (no `vscode` import).

/** The directories a key is in: '/a/b/c' → ['/a/b/', '/a/', '/'] (deepest first). */
export function ancestorPrefixes(key: string): string[] {
  const out: string[] = [];
  let end = key.length < 2 ? -1 : key.lastIndexOf('/', key.endsWith('/') ? key.length - 2 : key.length - 1);
  while (end >= 0) {
    out.push(key.slice(0, end + 1));
    // lastIndexOf clamps a negative start to 0: stop after the first character.
    end = end === 0 ? -1 : key.lastIndexOf('/', end - 1);
  }
  return out;
}
