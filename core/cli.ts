import type {Readable, Writable} from 'node:stream';
import {Builtins, Cli, type Command, type CommandClass} from 'clipanion';
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

const isUnder = (path: string, prefix: string): boolean =>
  prefix === '' || path === prefix || path.startsWith(`${prefix} `);

// clipanion's messages for a mistyped command list every candidate (or complain about an
// "extraneous positional argument" when a group has a default command); spor names the word that
// is not a command and the closest one that is, and points every other usage error at --help.
const explain = (error: unknown, argv: ReadonlyArray<string>, paths: ReadonlyArray<string>): unknown => {
  if (!isClipanionError(error)) return error;
  const words = argv.filter((a) => !a.startsWith('-'));
  let depth = 0;
  while (depth < words.length && paths.some((p) => isUnder(p, words.slice(0, depth + 1).join(' ')))) depth += 1;
  const group = words.slice(0, depth).join(' ');
  const next = words[depth];
  const children = new Set(
    paths
      .filter((p) => isUnder(p, group) && p !== group)
      .map((p) =>
        p
          .split(' ')
          .slice(0, depth + 1)
          .join(' '),
      ),
  );
  const helpFor = (prefix: string): string => `spor ${prefix === '' ? '' : `${prefix} `}--help`;
  if (
    next !== undefined &&
    children.size > 0 &&
    (error.name === 'UnknownSyntaxError' || /Extraneous positional/.test(error.message))
  ) {
    const typed = group === '' ? next : `${group} ${next}`;
    const guess = closest(typed, children);
    return new UsageError(`unknown command '${typed}'`, {
      code: 'E_UNKNOWN_COMMAND',
      hint: guess
        ? `did you mean \`spor ${guess}\`? (see \`${helpFor(group)}\`)`
        : `see \`${helpFor(group)}\` for the commands`,
    });
  }
  const first = (error.message.trim().split('\n')[0] ?? 'invalid usage').replace(/\.$/, '');
  return new UsageError(first, {code: 'E_USAGE', hint: `see \`${helpFor(group)}\``});
};

// clipanion compiles a parser over every registered command path on each run (a command with many
// options costs milliseconds), and a built-in plugin is evaluated when one of its command classes
// is asked for (core/lazyPlugin.ts). So only what can match is registered: the paths that lead
// the command line (a class with other paths too, such as an alias, is registered under just
// those); failing that (a typo, or help for a group), the group named by the first word; failing
// that, every command. A line of flags alone (`spor --version`) needs none.
const commandsFor = (argv: ReadonlyArray<string>, registry: PluginRegistry): Set<CommandClass<SporContext>> => {
  const words = argv.filter((a) => !a.startsWith('-'));
  const help = argv.some((a) => a === '-h' || a === '--help');
  if (words.length === 0 && argv.length > 0 && !help) return new Set();
  const all = [...registry.commands.entries()];
  const leads = (path: string): boolean => path !== '' && path.split(' ').every((w, i) => words[i] === w);
  const leading = help ? [] : all.filter(([path]) => leads(path));
  if (leading.length > 0) {
    const classes = new Set(leading.map(([, c]) => c.command));
    return new Set(
      [...classes].map((command) => {
        const paths = (command.paths ?? []).filter((p) => leads(p.join(' ')));
        if (paths.length === (command.paths ?? []).length) return command;
        const Base = command as unknown as abstract new () => Command<SporContext>;
        abstract class Narrowed extends Base {
          static paths = paths;
        }
        return Narrowed as unknown as CommandClass<SporContext>;
      }),
    );
  }
  const group = all.filter(([path]) => path.split(' ')[0] === words[0]);
  return new Set((group.length > 0 ? group : all).map(([, c]) => c.command));
};

/** Assembles the CLI from the registry's commands and runs one invocation; returns the exit code. */
export const runCli = async (
  argv: Array<string>,
  io: CliIo,
  container: Container,
  registry: PluginRegistry,
  version: string,
): Promise<number> => {
  const cli = new Cli<SporContext>({
    binaryLabel: 'spor',
    binaryName: 'spor',
    binaryVersion: version,
    enableColors: false,
  });
  // `spor -h` and `spor --version` (a command's own --help is its own); a bare `spor` shows the help.
  if (argv.length === 0 || argv[0]?.startsWith('-')) {
    cli.register(Builtins.HelpCommand);
    cli.register(Builtins.VersionCommand);
  }
  for (const command of commandsFor(argv, registry)) cli.register(command);
  const context = {
    stdin: io.stdin,
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    cwd: io.cwd,
    container,
    colorDepth: 1,
  };
  let command;
  try {
    command = cli.process(argv, context);
  } catch (e) {
    return report(io.stderr, explain(e, argv, [...registry.commands.keys()]), io.env);
  }
  return cli.run(command, context);
};
