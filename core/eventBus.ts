import type {Writable} from 'node:stream';
import {EventEmitter} from 'eventemitter3';
import type {Container} from './di.js';
import type {EventDraft, SporEvent} from './events.js';
import type {Reaction} from './plugin.js';

type Listener = ((event: SporEvent) => void) & {order: number; plugin: string; reaction: Reaction};

/** Appends follow-up events on behalf of a reaction (the host supplies it, to avoid a cycle). */
export type FollowUp = (drafts: Array<EventDraft>) => Promise<Array<SporEvent>>;

/**
 * Delivers durable events to reactions: in registration order, one at a time, awaited. A reaction
 * that throws is reported on stderr and recorded as `reaction-failed`; the event stands.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private count = 0;

  constructor(
    private readonly container: Container,
    private readonly stderr: Writable,
  ) {}

  register(plugin: string, reaction: Reaction): void {
    const listener = Object.assign(() => {}, {order: this.count++, plugin, reaction}) as Listener;
    for (const type of Array.isArray(reaction.on) ? reaction.on : [reaction.on]) this.emitter.on(type, listener);
  }

  /** True when some reaction listens to `type` (directly or through `*`). */
  hasListeners(type: string): boolean {
    return this.emitter.listenerCount(type) + this.emitter.listenerCount('*') > 0;
  }

  async publish(events: ReadonlyArray<SporEvent>, append: FollowUp): Promise<void> {
    for (const event of events) {
      const listeners = [...this.emitter.listeners(event.type), ...this.emitter.listeners('*')] as Array<Listener>;
      listeners.sort((a, b) => a.order - b.order);
      for (const l of listeners) await this.runOne(l, event, append);
    }
  }

  private async runOne(l: Listener, event: SporEvent, append: FollowUp): Promise<void> {
    const name = l.reaction.name ?? `on ${[l.reaction.on].flat().join(',')}`;
    try {
      await l.reaction.run(event, {
        container: this.container,
        append: (drafts) => append(drafts.map((d) => ({...d, causation: d.causation ?? event.id}))),
        warn: (message) => this.stderr.write(`spor: ${message}\n`),
      });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      this.stderr.write(
        `spor: warning: ${l.plugin} reaction '${name}' failed on ${event.type} #${event.seq}: ${error}\n`,
      );
      if (event.type === 'reaction-failed') return;
      await append([
        {
          type: 'reaction-failed',
          data: {plugin: l.plugin, reaction: name, event_id: event.id, event_type: event.type, error},
          causation: event.id,
        },
      ]).catch(() => {});
    }
  }
}
