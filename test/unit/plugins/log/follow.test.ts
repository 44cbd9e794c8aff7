import {appendFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {resolve} from '../../../../core/di.js';
import type {SporEvent} from '../../../../core/events.js';
import {encodeLine} from '../../../../core/logFormat.js';
import {EVENT_STORE} from '../../../../core/tokens.js';
import {followLog} from '../../../../plugins/log/follow.js';
import {tempHome} from '../../../helpers/tempHome.js';
import {session} from './fixtures.js';

const waitFor = async (check: () => boolean, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('followLog (spor log --follow)', () => {
  it('delivers records appended after the start, only once committed, and stops on abort', async () => {
    const run = session();
    const {home} = tempHome();
    const real = resolve((await run(['log'], home)).booted.container, EVENT_STORE);
    // The follower's reads are counted, so the test can wait for it to have looked at the log
    // instead of sleeping for what should be a few polls.
    let reads = 0;
    const store = new Proxy(real, {
      get: (target, key) => {
        if (key === 'read')
          return (...args: Parameters<typeof real.read>) => {
            reads += 1;
            return target.read(...args);
          };
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await store.append([{type: 'repo-added', data: {slug: 'before', path: '/before'}}]);
    const start = store.read(0, 0, () => {});
    const seen: Array<SporEvent> = [];
    const stop = new AbortController();
    const following = followLog(
      store,
      {offset: start.committedEnd, seq: start.lastSeq},
      (e) => seen.push(e),
      stop.signal,
      {intervalMs: 20},
    );

    await store.append([
      {type: 'repo-added', data: {slug: 'one', path: '/one'}},
      {type: 'repo-added', data: {slug: 'two', path: '/two'}},
    ]);
    await waitFor(() => seen.length === 2);
    expect(seen.map((e) => e.data)).toEqual([
      {slug: 'one', path: '/one'},
      {slug: 'two', path: '/two'},
    ]);

    // Half a line is a writer still at work: nothing is delivered until the line is complete.
    const line = `${encodeLine({id: 'late', seq: 4, type: 'repo-removed', v: 1, at: '2026-11-24T10:00:00.000Z', actor: 'machine:other', data: {slug: 'one'}})}\n`;
    appendFileSync(store.file, line.slice(0, 30));
    const readsBefore = reads;
    await waitFor(() => reads >= readsBefore + 2);
    expect(seen).toHaveLength(2);
    appendFileSync(store.file, line.slice(30));
    await waitFor(() => seen.length === 3);
    expect(seen[2]).toMatchObject({id: 'late', seq: 4, type: 'repo-removed'});

    stop.abort();
    expect(await following).toEqual({offset: store.size(), seq: 4});
  });
});
