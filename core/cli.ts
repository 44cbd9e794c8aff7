import type {Readable, Writable} from 'node:stream';
import {Builtins, Cli, type Command, type CommandClass, type Definition} from 'clipanion';
import type {SporContext} from './context.js';
import {resolve, type Container} from './di.js';
import {report, UsageError} from './errors.js';
import type {PluginRegistry} from './pluginRegistry.js';
import {closest, distance} from './suggest.js';
import {PROJECTOR} from './tokens.js';

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
const explain = (
  error: unknown,
  argv: ReadonlyArray<string>,
  paths: ReadonlyArray<string>,
  definitions: ReadonlyArray<Definition>,
): unknown => {
  if (!isClipanionError(error)) return error;
  const unknownOption = explainOption(argv, paths, definitions);
  if (unknownOption) return unknownOption;
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

const nearestOf = (word: string, candidates: ReadonlyArray<string>): string | undefined =>
  [...candidates].sort((a, b) => distance(word, a) - distance(word, b) || a.localeCompare(b))[0];

// The names a command's options answer to, from clipanion's definitions (`--print,--dry-run`,
// `-f,--follow`, `--dir #0`); a boolean also answers to its `--no-` form.
const optionNames = (definition: Definition): Set<string> => {
  const names = new Set<string>(['-h', '--help']);
  for (const option of definition.options) {
    for (const name of (option.definition.split(' ')[0] ?? '').split(',')) {
      if (!name.startsWith('-')) continue;
      names.add(name);
      if (name.startsWith('--') && !option.definition.includes(' ')) names.add(`--no-${name.slice(2)}`);
    }
  }
  return names;
};

// clipanion reports an option no command takes as "Command not found; did you mean one of:" with
// an empty list, or as "Unsupported option name": name the option, the command, and the closest
// option that command has.
const explainOption = (
  argv: ReadonlyArray<string>,
  paths: ReadonlyArray<string>,
  definitions: ReadonlyArray<Definition>,
): UsageError | undefined => {
  const end = argv.indexOf('--');
  const args = end === -1 ? argv : argv.slice(0, end);
  const words = args.filter((a) => !a.startsWith('-'));
  let best: Definition | undefined;
  let bestDepth = 0;
  for (const d of definitions) {
    const path = d.path.split(' ').slice(1);
    if (path.length > bestDepth && path.every((w, i) => words[i] === w)) {
      best = d;
      bestDepth = path.length;
    }
  }
  if (!best) return undefined;
  // What the user typed names the command better than clipanion's first path of its class.
  const typed = paths.filter((p) => p !== '' && p.split(' ').every((w, i) => words[i] === w));
  const label = `spor ${typed.sort((a, b) => b.length - a.length)[0] ?? best.path.split(' ').slice(1).join(' ')}`;
  const names = optionNames(best);
  const given = args.filter((a) => /^-[^\d]/.test(a)).map((a) => a.split('=')[0] as string);
  const unknown = given.find(
    (a) => !names.has(a) && !(/^-[a-zA-Z]{2,}$/.test(a) && [...a.slice(1)].every((c) => names.has(`-${c}`))),
  );
  if (unknown === undefined) return undefined;
  const candidates = [...names].filter((n) => n !== '-h' && n !== '--help' && !n.startsWith('--no-'));
  if (candidates.length === 0) {
    return new UsageError(`unknown option '${unknown}': \`${label}\` takes no options`, {
      code: 'E_UNKNOWN_OPTION',
      hint: `see \`${label} --help\``,
    });
  }
  const guess = closest(unknown, candidates);
  const nearest = guess ?? nearestOf(unknown, candidates);
  return new UsageError(`unknown option '${unknown}' for \`${label}\``, {
    code: 'E_UNKNOWN_OPTION',
    hint: guess
      ? `did you mean ${guess}? (see \`${label} --help\`)`
      : `the nearest it takes is ${nearest}; see \`${label} --help\` for all its options`,
  });
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

// A command class whose options come partly from plugins' contributions (SporCommand's
// `contributedOptions`) is registered as a subclass whose instances carry them too.
const withContributedOptions = (
  command: CommandClass<SporContext>,
  registry: PluginRegistry,
): CommandClass<SporContext> => {
  const more = (command as {contributedOptions?: (r: PluginRegistry) => Record<string, unknown>}).contributedOptions;
  if (!more) return command;
  const options = more;
  const Base = command as unknown as abstract new () => Command<SporContext>;
  abstract class WithContributed extends Base {
    constructor() {
      super();
      Object.assign(this, options(registry));
    }
  }
  return WithContributed as unknown as CommandClass<SporContext>;
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
  for (const command of commandsFor(argv, registry)) cli.register(withContributedOptions(command, registry));
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
    return report(io.stderr, explain(e, argv, [...registry.commands.keys()], cli.definitions()), io.env);
  }
  // Snapshots a read finds due wait for the command's own writes (which hold the lock anyway), or
  // for its end: a command takes the log lock only for what it writes.
  const projector = resolve(container, PROJECTOR);
  projector.defer();
  const code = await cli.run(command, context);
  await projector.settle().catch(() => {});
  if (code === 0) groupHelp(argv, () => cli.definitions(), io.stdout);
  return code;
};

// `spor repos --help` is the help of `spor repos` (the group's default command); the other
// commands of the group follow it, so that `repos tag` and the like can be found from there.
// The definitions are asked for only then: clipanion formats every registered command's usage.
const groupHelp = (
  argv: ReadonlyArray<string>,
  definitionsOf: () => ReadonlyArray<Definition>,
  stdout: Writable,
): void => {
  const words = argv.filter((a) => !a.startsWith('-'));
  if (words.length !== 1 || !argv.some((a) => a === '-h' || a === '--help')) return;
  const group = `spor ${words[0]}`;
  const definitions = definitionsOf();
  const others = definitions.filter((d) => d.path.startsWith(`${group} `));
  if (others.length === 0 || !definitions.some((d) => d.path === group)) return;
  const width = Math.max(...others.map((d) => d.path.length));
  stdout.write(
    `\nAlso under \`${group}\`:\n\n${others.map((d) => `  ${d.path.padEnd(width)}  ${d.description ?? ''}`.trimEnd()).join('\n')}\n`,
  );
};
