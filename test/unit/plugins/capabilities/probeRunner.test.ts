import {describe, expect, it, vi} from 'vitest';
import type {Prober} from '../../../../plugins/capabilities/api.js';
import {runProbers} from '../../../../plugins/capabilities/probeRunner.js';

const opts = (deadlineMs = 200) => ({env: {PATH: '/x'}, setting: async () => '', deadlineMs});
const prober = (name: string, probe: Prober['probe']): Prober => ({name, probe});

describe('runProbers', () => {
  it('reports each prober in order, with its cleaned finding and a duration', async () => {
    const results = await runProbers(
      [
        prober('a', async () => ({
          harnesses: ['codex', 'codex', 'aider'],
          facts: {codex: {path: '/bin/codex'}, other: {x: 'dropped'}},
        })),
        prober('b', async () => ({})),
      ],
      opts(),
    );
    expect(results).toEqual([
      {
        prober: 'a',
        ok: true,
        finding: {harnesses: ['aider', 'codex'], facts: {codex: {path: '/bin/codex'}}},
        duration_ms: expect.any(Number),
      },
      {prober: 'b', ok: true, finding: {}, duration_ms: expect.any(Number)},
    ]);
  });

  it('reports a prober that hangs as timed out at its deadline, aborts its signal, and still reports the rest', async () => {
    let aborted = false;
    const hang = prober(
      'hang',
      (ctx) =>
        new Promise(() => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
          });
        }),
    );
    // A fake clock: the deadline is reached by moving time, so the test neither waits nor
    // depends on how busy the machine is.
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'performance']});
    try {
      let settled = false;
      const running = runProbers([hang, prober('fine', async () => ({skills: ['tdd']}))], opts(150)).then((r) => {
        settled = true;
        return r;
      });
      await vi.advanceTimersByTimeAsync(149);
      expect(settled).toBe(false);
      expect(aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const results = await running;
      expect(aborted).toBe(true);
      expect(results[0]).toEqual({
        prober: 'hang',
        ok: false,
        error: 'timed out after 150ms',
        duration_ms: expect.any(Number),
      });
      expect(results[0]!.duration_ms).toBe(150);
      expect(results[1]).toMatchObject({prober: 'fine', ok: true, finding: {skills: ['tdd']}});
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a prober that throws (even synchronously) or rejects, with the first line of its message', async () => {
    const results = await runProbers(
      [
        prober('sync', () => {
          throw new Error('no config\nstack');
        }),
        prober('async', async () => {
          throw new Error('denied');
        }),
        prober('odd', () => Promise.reject('a string')),
      ],
      opts(),
    );
    expect(results.map((r) => [r.prober, r.ok, r.error])).toEqual([
      ['sync', false, 'no config'],
      ['async', false, 'denied'],
      ['odd', false, 'a string'],
    ]);
  });

  it('reports a malformed finding as a failure naming what is wrong', async () => {
    const results = await runProbers(
      [
        prober('shape', async () => ({harnesses: 'codex'}) as never),
        prober('name', async () => ({skills: ['two words']})),
      ],
      opts(),
    );
    expect(results[0]).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^returned an invalid finding \(.*harnesses/),
    });
    expect(results[1]).toMatchObject({ok: false, error: 'returned an invalid skills value "two words"'});
  });

  it('runs probers at once, not one after another', async () => {
    // Each prober waits until all four have started: run one after another, they would all time out.
    let started = 0;
    let release: () => void = () => {};
    const allStarted = new Promise<void>((r) => {
      release = r;
    });
    const waiting = (name: string) =>
      prober(name, async () => {
        started += 1;
        if (started === 4) release();
        await allStarted;
        return {};
      });
    const results = await runProbers([waiting('a'), waiting('b'), waiting('c'), waiting('d')], opts(2000));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
  });

  it('hands each prober the environment and the setting resolver', async () => {
    const results = await runProbers(
      [
        prober('env', async (ctx) => ({
          harnesses: [String(await ctx.setting('k')), ctx.env.PATH === '/x' ? 'path-ok' : 'no'],
        })),
      ],
      {env: {PATH: '/x'}, setting: async (k) => `setting-${k}`, deadlineMs: 200},
    );
    expect(results[0]?.finding?.harnesses).toEqual(['path-ok', 'setting-k']);
  });
});
