import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {nodeZlib, RefusalError} from '../../core/index.js';

/** A package npm installed under the plugins prefix, with a way to take the install back. */
export interface Installed {
  name: string;
  /** `<prefix>/node_modules/<name>` */
  dir: string;
  /** Puts the prefix's manifests back as they were and drops a package that was not there before. */
  rollback(): void;
}

// npm's naming rules, loosely: an optional @scope/, then the name, then an optional @version|range|tag.
const REGISTRY_SPEC = /^((?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*)(?:@.*)?$/i;

/** The package a registry spec names (`name`, `name@1.2.3`, `@scope/name@^2`), else undefined. */
export const packageOfRegistrySpec = (spec: string): string | undefined => REGISTRY_SPEC.exec(spec)?.[1];

const cString = (buf: Buffer, start: number, length: number): string => {
  const field = buf.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.toString('utf8', 0, end === -1 ? field.length : end);
};

/** The `name` in a package tarball's top-level package.json (gzip or plain tar), else undefined. */
export const packageOfTarball = (file: string): string | undefined => {
  let tar: Buffer;
  try {
    tar = readFileSync(file);
    if (tar[0] === 0x1f && tar[1] === 0x8b) tar = nodeZlib().gunzipSync(tar);
  } catch {
    return undefined; // npm will say what is wrong with it
  }
  for (let at = 0; at + 512 <= tar.length;) {
    const name = cString(tar, at, 100);
    if (name === '') return undefined;
    const size = Number.parseInt(cString(tar, at + 124, 12).trim() || '0', 8);
    const prefix = tar.toString('utf8', at + 257, at + 262) === 'ustar' ? cString(tar, at + 345, 155) : '';
    const path = prefix === '' ? name : `${prefix}/${name}`;
    if (/^[^/]+\/package\.json$/.test(path)) {
      try {
        const manifest = JSON.parse(tar.toString('utf8', at + 512, at + 512 + size)) as {name?: unknown};
        return typeof manifest.name === 'string' ? manifest.name : undefined;
      } catch {
        return undefined;
      }
    }
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return undefined;
};

const readText = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

const dependencies = (manifest: string | undefined): Record<string, string> => {
  try {
    return (JSON.parse(manifest ?? '{}') as {dependencies?: Record<string, string>}).dependencies ?? {};
  } catch {
    return {};
  }
};

// npm's last words, without the pointer to its debug log.
const lastLines = (text: string, n: number): string =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/complete log of this run/.test(l))
    .slice(-n)
    .join(' | ');

/**
 * Runs `npm install --prefix <prefix> --ignore-scripts <spec>`: no shell, no install scripts, the
 * package saved to `<prefix>/package.json`. `name` is the package when the spec tells it up front
 * (registry specs, tarballs); otherwise it is the dependency the install added. Refuses (and puts
 * the prefix back) when npm fails or the package cannot be told.
 */
export const npmInstall = async (
  spec: string,
  opts: {prefix: string; env: NodeJS.ProcessEnv; name?: string},
): Promise<Installed> => {
  const {prefix} = opts;
  mkdirSync(prefix, {recursive: true, mode: 0o700});
  const manifestFile = join(prefix, 'package.json');
  const lockFile = join(prefix, 'package-lock.json');
  const before = {manifest: readText(manifestFile), lock: readText(lockFile)};
  const was = dependencies(before.manifest);
  // A package already there (an earlier install) is left in place: only what this install added goes.
  const existed = opts.name !== undefined && existsSync(join(prefix, 'node_modules', opts.name));
  const rollback = (name: string | undefined): void => {
    for (const [file, text] of [
      [manifestFile, before.manifest],
      [lockFile, before.lock],
    ] as const) {
      if (text === undefined) rmSync(file, {force: true});
      else writeFileSync(file, text);
    }
    const added = name === opts.name ? !existed : name !== undefined && was[name] === undefined;
    if (name !== undefined && added) rmSync(join(prefix, 'node_modules', name), {recursive: true, force: true});
  };

  const {execa} = await import('execa');
  const args = [
    'install',
    '--prefix',
    prefix,
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    // The end of npm's options: the spec is only ever a package, never a flag.
    '--',
    spec,
  ];
  const result = await execa('npm', args, {env: opts.env, extendEnv: false, reject: false, stdin: 'ignore'});
  if (result.failed) {
    rollback(opts.name);
    const missing = (result as {code?: string}).code === 'ENOENT';
    throw new RefusalError(
      missing
        ? 'npm was not found on PATH'
        : `npm could not install '${spec}' (exit ${result.exitCode ?? result.signal ?? '?'}): ${lastLines(result.stderr, 3) || 'no output'}`,
      {
        code: 'E_PLUGIN_NPM',
        hint: missing
          ? 'install Node.js with npm, or add the plugin by its path'
          : "check the package name or tarball, and npm's registry settings",
      },
    );
  }

  let name = opts.name;
  if (name === undefined) {
    const now = dependencies(readText(manifestFile));
    const changed = Object.keys(now).filter((k) => now[k] !== was[k]);
    if (changed.length === 1) name = changed[0];
  }
  if (name === undefined || !existsSync(join(prefix, 'node_modules', name, 'package.json'))) {
    rollback(name);
    throw new RefusalError(`npm installed '${spec}', but spor cannot tell which package it is`, {
      code: 'E_PLUGIN_NPM',
      hint: 'add it by package name (`spor plugins add <name>@<version>`) or by a path to its tarball',
    });
  }
  const installed = name;
  return {name: installed, dir: join(prefix, 'node_modules', installed), rollback: () => rollback(installed)};
};
