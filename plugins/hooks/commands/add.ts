import {Command, Option} from 'clipanion';
import {SporCommand, parseDuration, UsageError, ENV, EVENT_CATALOG, HOST} from '../../../core/index.js';
import {addHook, checkEventType, existingHook} from '../decide.js';
import {resolveExecutable} from '../executable.js';
import {commandLine, timeoutLabel} from '../format.js';

export class HooksAddCommand extends SporCommand {
  static override paths = [['hooks', 'add']];
  static override usage = Command.Usage({
    description: 'run an executable whenever an event of a type (or `*`, any type) is recorded (event `hook-added`)',
    details: `
      The executable gets the event as JSON on stdin and SPOR_* variables in a minimal environment, runs without a shell in $SPOR_HOME, and is stopped at its timeout; each run is recorded as \`hook-ran\`. A path is resolved against the current directory; a bare name is looked up on PATH. Arguments after \`--\` are passed to it on every run. The hook contract is in hooks/README.md.
    `,
    examples: [
      ['Log a summary of every event', "$0 hooks add '*' ./hooks/append-summary -- ~/spor-events.txt"],
      ['Notify when a repo is mapped, within 5 seconds', '$0 hooks add repo-added ./notify.sh --timeout 5s'],
    ],
  });
  timeout = Option.String('--timeout', {
    description: 'stop the hook after this long (500ms, 30s, 2m); default: the hooks.timeout setting',
  });
  event = Option.String({name: 'event-type|*'});
  executable = Option.String({name: 'executable'});
  args = Option.Rest({name: 'args'});

  async execute(): Promise<number> {
    checkEventType(this.event, this.get(EVENT_CATALOG).types());
    let timeoutMs: number | null = null;
    if (this.timeout !== undefined) {
      const ms = parseDuration(this.timeout);
      if (ms === undefined)
        throw new UsageError(`--timeout must be a duration such as 500ms, 30s or 2m, not '${this.timeout}'`, {
          code: 'E_HOOK_TIMEOUT',
          hint: 'give a positive duration, e.g. --timeout 45s (a bare number means seconds)',
        });
      timeoutMs = ms;
    }
    const path = resolveExecutable(this.executable, this.context.cwd, this.get(ENV).PATH);
    const input = {event: this.event, path, args: this.args, timeout_ms: timeoutMs};
    let already: string | undefined;
    const events = await this.get(HOST).handle(['hooks'], ({hooks}) => {
      already = existingHook(input, hooks)?.id;
      return addHook(input, hooks);
    });
    const added = events[0]?.data as {id: string} | undefined;
    if (!added) this.out(`already hooked as ${already ?? '?'}: ${this.event} → ${commandLine(input)}`);
    else this.out(`added ${added.id}: ${this.event} → ${commandLine(input)} (timeout ${timeoutLabel(input)})`);
    return 0;
  }
}
