import {Command} from 'clipanion';
import type {SporContext} from './context.js';
import {resolve, type Token} from './di.js';
import {report} from './errors.js';
import type {PluginRegistry} from './pluginRegistry.js';
import {ENV} from './tokens.js';

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
      return await super.validateAndExecute();
    } catch (e) {
      return report(this.context.stderr, e, this.get(ENV));
    }
  }

  /** Writes one line to stdout. */
  protected out(line = ''): void {
    this.context.stdout.write(`${line}\n`);
  }

  /** Writes a value as pretty JSON to stdout. */
  protected json(value: unknown): void {
    this.context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Writes a notice to stderr (warnings, progress: never results). */
  protected note(line: string): void {
    this.context.stderr.write(`spor: ${line}\n`);
  }
}
