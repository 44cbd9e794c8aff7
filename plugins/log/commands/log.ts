import {Command, Option} from 'clipanion';
import {SporCommand, type SporEvent, EVENT_CATALOG, EVENT_STORE} from '../../../core/index.js';

export class LogCommand extends SporCommand {
  static override paths = [['log']];
  static override usage = Command.Usage({
    description: 'print the event history, oldest first',
    details: `
      One line per event: \`#seq  time  type  summary  (actor)\`.

      \`--type\` may repeat (or take a comma list) and keeps events of any of those types. \`--since 40\` starts at seq 40 (inclusive); \`--since 2026-11-24\` or \`--since 2026-11-24T10:00:00Z\` keeps events at or after that time (a time without a zone is local time). \`--limit N\` keeps the last N matching events.

      \`--json\` prints one event per line (NDJSON): \`{id, seq, type, v, at, actor, data, causation?}\`, upcast to the current version of its type; types no loaded plugin declares are printed as stored.

      \`--follow\` keeps printing new events as any spor process appends them, until Ctrl-C (\`--limit\` applies to the history before that). Reading the log never writes anything.
    `,
    examples: [
      ['The last 20 events', '$0 log --limit 20'],
      ['Repo changes from seq 40 on, as NDJSON', '$0 log --type repo-added --type repo-removed --since 40 --json'],
      ['Watch events as they happen', '$0 log --follow'],
    ],
  });
  types = Option.Array('--type', {description: 'only events of this type (repeatable; a,b means either)'});
  since = Option.String('--since', {description: 'from this seq (inclusive) or ISO time (at or after)'});
  limit = Option.String('--limit', {description: 'only the last N matching events'});
  asJson = Option.Boolean('--json', false, {description: 'one JSON event per line (NDJSON)'});
  follow = Option.Boolean('--follow,-f', false, {description: 'keep printing new events until interrupted'});

  async execute(): Promise<number> {
    const stop = new AbortController();
    // Installed before anything is printed: a Ctrl-C at any point of --follow is a normal exit (0).
    const onSignal = (): void => stop.abort();
    if (this.follow) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    try {
      return await this.show(stop);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }

  private async show(stop: AbortController): Promise<number> {
    const [{parseLimit, parseSince, parseTypes, matches, unknownTypesNote, Tail}, {envelope, humanLine}, {LineOutput}] =
      await Promise.all([import('../query.js'), import('../format.js'), import('../output.js')]);
    const query = {
      types: parseTypes(this.types),
      since: this.since === undefined ? undefined : parseSince(this.since),
      limit: this.limit === undefined ? undefined : parseLimit(this.limit),
    };
    const store = this.get(EVENT_STORE);
    const catalog = this.get(EVENT_CATALOG);
    const out = new LineOutput(this.context.stdout, () => stop.abort());
    let printed = 0;
    const print = (event: SporEvent): void => {
      printed += 1;
      out.line(this.asJson ? JSON.stringify(envelope(event, catalog)) : humanLine(event, catalog));
    };

    // Without --limit events stream straight out; with it only the last N are held.
    const history = new Tail<SporEvent>(query.limit);
    const seen = new Set<string>();
    let total = 0;
    let position: {offset: number; seq: number};
    try {
      const result = store.read(0, 0, (event) => {
        total += 1;
        seen.add(event.type);
        if (!matches(event, query)) return;
        if (query.limit === undefined) print(event);
        else history.push(event);
      });
      position = {offset: result.committedEnd, seq: result.lastSeq};
    } finally {
      // What was read before a damaged record is still shown, next to the error.
      for (const event of history.take()) print(event);
      out.flush();
    }
    const note = await unknownTypesNote(query.types, seen, catalog.types());
    if (note) this.note(note);
    if (printed === 0 && !this.asJson) {
      const waiting = this.follow ? '; waiting for new events (Ctrl-C to stop)' : '';
      out.line(total === 0 ? `the event log is empty${waiting}` : `no events match (${total} in the log)${waiting}`);
    }
    out.flush();
    if (!this.follow || out.closed) return 0;
    const {followLog} = await import('../follow.js');
    await followLog(
      store,
      position,
      (event) => {
        if (matches(event, query)) print(event);
      },
      stop.signal,
      {onBatch: () => out.flush()},
    );
    return 0;
  }
}
