/**
 * Imports an ES module by URL. In the built CLI the bundle runs as a vm script, which cannot
 * `import()` by itself; the launcher provides `__sporImport` for it. Elsewhere (tests) a plain
 * dynamic import is used.
 */
export const importModule = (specifier: string): Promise<unknown> => {
  const viaLauncher = (globalThis as {__sporImport?: (s: string) => Promise<unknown>}).__sporImport;
  return viaLauncher ? viaLauncher(specifier) : import(specifier);
};
