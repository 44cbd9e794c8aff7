import {describe, expect, it} from 'vitest';
import {GroupWriter, Loader} from '../../../../plugins/server/store/pgBatch.js';

// The batching under the PostgreSQL store, alone: what it promises each caller whatever the
// others do. (Against a real database: the store contract and route suites.)

/** Resolves once every callback queued so far (immediates included) has run. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Loader', () => {
  it('the keys asked in one turn are fetched once, deduplicated, and each caller gets its own answer', async () => {
    const fetched: Array<Array<string>> = [];
    const loader = new Loader<string>(async (keys) => {
      fetched.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
    });
    const answers = await Promise.all(['a', 'b', 'a', 'missing'].map((k) => loader.load(k)));
    expect(answers).toEqual(['A', 'B', 'A', undefined]);
    expect(fetched).toEqual([['a', 'b', 'missing']]);
    // A later turn is a later fetch: nothing is cached between them.
    expect(await loader.load('a')).toBe('A');
    expect(fetched).toHaveLength(2);
  });

  it('a failed fetch fails the callers of that batch only', async () => {
    let fail = true;
    const loader = new Loader<number>(async (keys) => {
      if (fail) throw new Error('connection lost');
      return new Map(keys.map((k) => [k, k.length]));
    });
    const first = await Promise.allSettled([loader.load('x'), loader.load('yy')]);
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await loader.load('yy')).toBe(2);
  });
});

describe('GroupWriter', () => {
  it('what is handed in while a write is under way is written together by the next one', async () => {
    const batches: Array<Array<number>> = [];
    const gates: Array<() => void> = [];
    const writer = new GroupWriter<number>(async (items) => {
      batches.push(items);
      await new Promise<void>((resolve) => gates.push(resolve));
      return items.map((n) => n % 2 === 0);
    }, 2);
    const first = [writer.write(0), writer.write(1)];
    await turn();
    const second = [writer.write(2)];
    await turn();
    // Two writes in flight at most (as this writer was made): the third batch waits for one of them.
    const third = [writer.write(4), writer.write(5), writer.write(6)];
    await turn();
    expect(batches).toEqual([[0, 1], [2]]);
    gates.shift()?.();
    expect(await Promise.all(first)).toEqual([true, false]);
    await turn();
    expect(batches).toEqual([[0, 1], [2], [4, 5, 6]]);
    for (const open of gates.splice(0)) open();
    expect(await Promise.all(second)).toEqual([true]);
    expect(await Promise.all(third)).toEqual([true, false, true]);
  });

  it('a batch that fails as a whole is written again item by item: only the item at fault fails', async () => {
    const calls: Array<Array<string>> = [];
    const writer = new GroupWriter<string>(async (items) => {
      calls.push(items);
      if (items.includes('bad')) throw new Error('invalid input syntax for type boolean');
      return items.map(() => true);
    });
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((s) => writer.write(s)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      true,
      'invalid input syntax for type boolean',
      true,
    ]);
    expect(calls).toEqual([['a', 'bad', 'c'], ['a'], ['bad'], ['c']]);
  });
});
