import {Command} from 'clipanion';
import type {SporContext} from './context.js';
import {resolve, type Token} from './di.js';
import {report, UsageError} from './errors.js';
import type {PluginRegistry} from './pluginRegistry.js';
import {printable, printableLines} from './printable.js';
import {ENV} from './tokens.js';

// No argument a person types holds a NUL byte (argv cannot carry one), yet one that reached a path,
// an id or a stored event would be cut short or refused deep inside; so none gets past the parser.
const refuseNul = (command: object): void => {
  for (const [field, value] of Object.entries(command)) {
    if (field === 'context' || field === 'cli') continue;
    const values: Array<unknown> = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && v.includes('\0')))
      throw new UsageError(`an argument (${field}) contains a NUL byte`, {
        code: 'E_CONTROL_CHARS',
        hint: 'NUL cannot be part of a value spor takes',
      });
  }
};

/**
 * The base of every spor command. Errors never reach clipanion (which would print them on stdout
 * and exit 1): they are reported as `spor: <message>` plus a hint on stderr with spor's exit code.
 */
export abstract class SporCommand extends Command<SporContext> {
  /**
   * Options the command takes from what plugins contribute (dispatch offers each harness's
   * pass-through flags): field name → a clipanion option. The CLI adds them to each instance before
   * parsing, so they parse, show in `--help` and are suggested like the command's own.
   */
  static contributedOptions?: (registry: PluginRegistry) => Record<string, unknown>;

  /** Resolves a service from this invocation's container (the one service-locator edge). */
  protected get<T>(t: Token<T>): T {
    return resolve(this.context.container, t);
  }

  override async validateAndExecute(): Promise<number> {
    try {
      refuseNul(this);
      return await super.validateAndExecute();
    } catch (e) {
      return report(this.context.stderr, e, this.get(ENV));
    }
  }

  /** Writes one line to stdout, for a person: control characters it carries are shown escaped. */
  protected out(line = ''): void {
    this.context.stdout.write(`${printableLines(line)}\n`);
  }

  /** Writes a value as pretty JSON to stdout. */
  protected json(value: unknown): void {
    this.context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Writes a notice to stderr (warnings, progress: never results). */
  protected note(line: string): void {
    this.context.stderr.write(`spor: ${printable(line)}\n`);
  }
}
