import {existsSync, readFileSync, statSync} from 'node:fs';
import {isAbsolute, join, resolve} from 'node:path';
import {UsageError} from '../../core/index.js';

/** What `spor plugins add <arg>` was given. */
export type PluginSpec =
  | {kind: 'path'; /** absolute file or directory */ target: string}
  | {kind: 'npm'; /** what npm installs (a tarball path made absolute) */ spec: string; tarball?: string};

const TARBALL = /\.(tgz|tar\.gz|tar)$/;
// Spelled like a path: a registry name never starts with these.
const PATH_LIKE = /^(\.{1,2}(\/|$)|\/|~)/;

/**
 * An existing file or directory is a local plugin, except a tarball, which npm installs (without
 * scripts, like any npm spec). Anything else is an npm spec (`name`, `name@1.2`, `@scope/name`),
 * unless it is spelled like a path, which then does not exist.
 */
export const classifySpec = (arg: string, cwd: string): PluginSpec => {
  // No path or package spec is this long (PATH_MAX; npm names stop at 214): refused before the disk is asked.
  if (Buffer.byteLength(arg) >= 4096)
    throw new UsageError(`a plugin spec of ${Buffer.byteLength(arg)} bytes is not a path or a package`, {
      code: 'E_PLUGIN_SPEC',
      hint: 'give the path of a plugin module, its directory, or an npm package name',
    });
  const abs = resolve(cwd, arg);
  if (arg !== '' && existsSync(abs)) {
    if (statSync(abs).isFile() && TARBALL.test(abs)) return {kind: 'npm', spec: abs, tarball: abs};
    return {kind: 'path', target: abs};
  }
  if (arg === '' || PATH_LIKE.test(arg) || isAbsolute(arg) || TARBALL.test(arg)) {
    throw new UsageError(`no such file or directory: ${abs}`, {
      code: 'E_PLUGIN_PATH',
      hint: 'give the path of a plugin module, its directory, or an npm package name',
    });
  }
  // npm would read it as one of its own options (`--ignore-scripts=false` after spor's own).
  if (arg.startsWith('-')) {
    throw new UsageError(`'${arg}' is not a package: a plugin spec cannot start with '-'`, {
      code: 'E_PLUGIN_SPEC',
      hint: 'give an npm package name, or a path (write ./-name for a file whose name starts with -)',
    });
  }
  return {kind: 'npm', spec: arg};
};

type Exports = string | Array<Exports> | {[key: string]: Exports} | null;

// The subset of package.json `exports` a plugin entry needs: the root export, import conditions.
const rootExport = (x: Exports | undefined): string | undefined => {
  if (typeof x === 'string') return x;
  if (Array.isArray(x)) {
    for (const alt of x) {
      const hit = rootExport(alt);
      if (hit) return hit;
    }
    return undefined;
  }
  if (x === null || x === undefined || typeof x !== 'object') return undefined;
  const keys = Object.keys(x);
  if (keys.some((k) => k.startsWith('.'))) return rootExport(x['.']);
  for (const condition of ['import', 'node', 'default'])
    if (condition in x) {
      const hit = rootExport(x[condition]);
      if (hit) return hit;
    }
  return undefined;
};

/**
 * The module a plugin directory means: package.json `exports` (root, import condition), else
 * `main`, else `index.js`. A file is its own module.
 */
export const entryModule = (target: string): string => {
  if (!statSync(target).isDirectory()) return target;
  let manifest: {exports?: Exports; main?: unknown} = {};
  const pkg = join(target, 'package.json');
  if (existsSync(pkg)) {
    try {
      manifest = JSON.parse(readFileSync(pkg, 'utf8')) as typeof manifest;
    } catch (e) {
      throw new UsageError(`${pkg} is not valid JSON (${(e as Error).message})`, {
        code: 'E_PLUGIN_PACKAGE',
        hint: 'fix the package.json of the plugin',
      });
    }
  }
  const named = rootExport(manifest.exports) ?? (typeof manifest.main === 'string' ? manifest.main : undefined);
  const entry = resolve(target, named ?? 'index.js');
  if (!existsSync(entry) || !statSync(entry).isFile()) {
    throw new UsageError(
      `no plugin module in ${target}: ${named ? `package.json names ${named}, which does not exist` : 'expected index.js or package.json "exports"/"main"'}`,
      {
        code: 'E_PLUGIN_ENTRY',
        hint: "give the plugin's module file, or a directory with index.js or a package.json naming it",
      },
    );
  }
  return entry;
};
