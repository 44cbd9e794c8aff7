import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {realTimers, watchdog} from '../../../../plugins/runs/watchdog.js';

// vitest's fake timers stand in for the clock: time moves only when the test moves it.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the bounds a supervisor holds a run to', () => {
  it('stalled: fires once the harness goes stallMs without progress, and only once', () => {
    const fired: Array<[string, number]> = [];
    watchdog({timeoutMs: 60_000, stallMs: 1000}, (kind, ms) => fired.push([kind, ms]), realTimers);
    vi.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([['stalled', 1000]]);
    vi.advanceTimersByTime(120_000);
    expect(fired).toEqual([['stalled', 1000]]);
  });

  it('progress holds the stall off, counted from the last progress, not from the timer', () => {
    const fired: Array<string> = [];
    const dog = watchdog({timeoutMs: 60_000, stallMs: 1000}, (kind) => fired.push(kind), realTimers);
    vi.advanceTimersByTime(600);
    dog.progress();
    vi.advanceTimersByTime(600); // 1200 since start, 600 since progress
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(399);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['stalled']);
  });

  it('timeout: fires at timeoutMs however chatty the harness is', () => {
    const fired: Array<[string, number]> = [];
    const dog = watchdog({timeoutMs: 5000, stallMs: 1000}, (kind, ms) => fired.push([kind, ms]), realTimers);
    for (let t = 100; t < 5000; t += 100) {
      vi.advanceTimersByTime(100);
      dog.progress();
    }
    vi.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([['timeout', 5000]]);
  });

  it('stop: nothing fires after the harness exited, and no timer is left behind', () => {
    const fired: Array<string> = [];
    const dog = watchdog({timeoutMs: 5000, stallMs: 1000}, (kind) => fired.push(kind), realTimers);
    dog.stop();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(fired).toEqual([]);
  });
});
