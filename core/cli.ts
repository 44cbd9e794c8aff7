import type {Readable, Writable} from 'node:stream';
import {Builtins, Cli, type CommandClass} from 'clipanion';
import type {SporContext} from './context.js';
import type {Container} from './di.js';
import {report, UsageError} from './errors.js';
import type {PluginRegistry} from './pluginRegistry.js';
import {closest} from './suggest.js';

export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const isClipanionError = (e: unknown): e is Error => typeof e === 'object' && e !== null && 'clipanion' in e;

interface PathMatch { known: string; next?: string; hasChildren: boolean }

/** The longest run of leading words that is a registered command path, and the word after it. */
const matchPath = (words: ReadonlyArray<string>, paths: ReadonlyArray<string>): PathMatch => {
  let known = '';
  let depth = 0;
  for (let d = 1; d <= words.length; d += 1) {
    const candidate = words.slice(0, d).join(' ');
    if (!paths.some((p) => p === candidate || p.startsWith(`${candidate} `))) break;
    depth = d;
    if (paths.includes(candidate)) known = candidate;
  }
  const prefix = words.slice(0, depth).join(' ');
  return {known: depth > 0 && paths.includes(prefix) ? prefix : known, next: words[depth], hasChildren: paths.some((p) => p.startsWith(prefix === '' ? '' : `${prefix} `))};
};

// clipanion's messages for a mistyped command list every candidate (or complain about an
// "extraneous positional argument" when a group has a default command); spor names the word that
// is not a command and the closest one that is.
const explain = (error: unknown, argv: ReadonlyArray<string>, paths: ReadonlyArray<string>): unknown => {
  if (!isClipanionError(error)) return error;
  const words = argv.filter((a) => !a.startsWith('-'));
  const match = matchPath(words, paths);
  const unknownWord = match.next !== undefined && (error.name === 'UnknownSyntaxError' || /Extraneous positional/.test(error.message));
  const prefix = words.slice(0, match.known === '' && match.next === words[0] ? 0 : words.indexOf(match.next ?? '')).join(' ');
  if (unknownWord && match.hasChildren && (error.name === 'UnknownSyntaxError' || !paths.includes(`${prefix} ${match.next}`))) {
    const depth = prefix === '' ? 0 : prefix.split(' ').length;
    const typed = prefix === '' ? (match.next as string) : `${prefix} ${match.next}`;
    const siblings = new Set(paths.filter((p) => prefix === '' || p.startsWith(`${prefix} `)).map((p) => p.split(' ').slice(0, depth + 1).join(' ')));
    const guess = closest(typed, siblings);
    if (error.name === 'UnknownSyntaxError' || siblings.size > 1) {
      return new UsageError(`unknown command '${typed}'`, {code: 'E_UNKNOWN_COMMAND',
        hint: guess ? `did you mean \`spor ${guess}\`? (see \`spor ${prefix === '' ? '' : `${prefix} `}--help\`)` : `see \`spor ${prefix === '' ? '' : `${prefix} `}--help\` for the commands`});
    }
  }
  const first = error.message.trim().split('\n')[0] ?? 'invalid usage';
  const about = match.known === '' ? '' : `${match.known} `;
  return new UsageError(first.replace(/\.$/, ''), {code: 'E_USAGE', hint: `see \`spor ${about}--help\``});
};

// clipanion compiles a parser over every registered command on each run. When the first word names
// a command group, only that group is registered, so start-up does not grow with the plugin count.
const commandsFor = (argv: ReadonlyArray<string>, registry: PluginRegistry): Set<CommandClass<SporContext>> => {
  const first = argv.find((a) => !a.startsWith('-'));
  const all = [...registry.commands.entries()];
  const group = all.filter(([path]) => path.split(' ')[0] === first);
  return new Set((group.length > 0 ? group : all).map(([, c]) => c.command));
};

/** Assembles the CLI from the registry's commands and runs one invocation; returns the exit code. */
export const runCli = async (argv: Array<string>, io: CliIo, container: Container, registry: PluginRegistry, version: string): Promise<number> => {
  const cli = new Cli<SporContext>({binaryLabel: 'spor', binaryName: 'spor', binaryVersion: version, enableColors: false});
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  for (const command of commandsFor(argv, registry)) cli.register(command);
  const context = {stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, env: io.env, cwd: io.cwd, container, colorDepth: 1};
  let command;
  try {
    command = cli.process(argv, context);
  } catch (e) {
    return report(io.stderr, explain(e, argv, [...registry.commands.keys()]), io.env);
  }
  return cli.run(command, context);
};
