import {describe, expect, it} from 'vitest';
import type {SporEvent} from '../../../../core/events.js';
import {effectiveView} from '../../../../plugins/capabilities/effective.js';
import type {ProbeResult} from '../../../../plugins/capabilities/events.js';
import {capabilitiesProjection, type CapabilitiesState} from '../../../../plugins/capabilities/projection.js';

let seq = 0;
const ev = (type: string, data: unknown): SporEvent => {
  seq += 1;
  return {
    id: `e${seq}`,
    seq,
    type,
    v: 1,
    at: `2025-01-01T00:00:${String(seq).padStart(2, '0')}Z`,
    actor: 'machine:test',
    data,
  };
};
const fold = (events: Array<SporEvent>): CapabilitiesState =>
  events.reduce((s, e) => capabilitiesProjection.apply(s, e), capabilitiesProjection.initial());

const claude: ProbeResult = {
  prober: 'claude-code',
  ok: true,
  duration_ms: 3,
  finding: {harnesses: ['claude-code'], facts: {'claude-code': {path: '/bin/claude', version: '2.0.14'}}},
};
const config: ProbeResult = {
  prober: 'claude-config',
  ok: true,
  duration_ms: 2,
  finding: {skills: ['tdd'], plugins: ['superpowers']},
};
const broken: ProbeResult = {prober: 'codex', ok: false, duration_ms: 5000, error: 'timed out after 5000ms'};

describe('the capabilities slice', () => {
  it('records declarations per axis, the deny list and the latest probe', () => {
    const s = fold([
      ev('capabilities-declared', {axis: 'skills', values: ['a', 'b']}),
      ev('capabilities-declared', {axis: 'reachable_mcp', values: ['linear']}),
      ev('capabilities-declared', {axis: 'skills', values: ['b']}),
      ev('profile-denied', {profile: 'profile-z'}),
      ev('profile-denied', {profile: 'profile-a'}),
      ev('profile-denied', {profile: 'profile-a'}),
      ev('probe-ran', {results: [broken]}),
      ev('probe-ran', {results: [claude]}),
    ]);
    expect(s.declared).toEqual({harnesses: [], reachable_mcp: ['linear'], skills: ['b'], plugins: []});
    expect(s.deny).toEqual(['profile-a', 'profile-z']);
    expect(s.probe).toEqual({at: '2025-01-01T00:00:08Z', event: 'e8', results: [claude]});
  });

  it('undeny lifts one profile; clear resets declarations and the probe but keeps the deny list', () => {
    const s = fold([
      ev('capabilities-declared', {axis: 'plugins', values: ['p']}),
      ev('profile-denied', {profile: 'profile-a'}),
      ev('profile-denied', {profile: 'profile-b'}),
      ev('profile-undenied', {profile: 'profile-a'}),
      ev('probe-ran', {results: [claude]}),
      ev('capabilities-cleared', {}),
    ]);
    expect(s).toEqual({
      declared: {harnesses: [], reachable_mcp: [], skills: [], plugins: []},
      deny: ['profile-b'],
      probe: null,
    });
  });

  it('leaves the state unchanged for an event type it does not own', () => {
    const s = fold([ev('capabilities-declared', {axis: 'skills', values: ['a']})]);
    const copy = structuredClone(s);
    expect(capabilitiesProjection.apply(s, ev('repo-added', {slug: 'x', path: '/x'}))).toBe(s);
    expect(s).toEqual(copy);
  });
});

describe('the effective map', () => {
  it('is probed ∪ declared per axis, sorted, with the deny list, in exactly five keys', () => {
    const s = fold([
      ev('capabilities-declared', {axis: 'harnesses', values: ['codex']}),
      ev('capabilities-declared', {axis: 'skills', values: ['tdd', 'review']}),
      ev('profile-denied', {profile: 'profile-x'}),
      ev('probe-ran', {results: [claude, config, broken]}),
    ]);
    const view = effectiveView(s);
    expect(view.capabilities).toEqual({
      harnesses: ['claude-code', 'codex'],
      reachable_mcp: [],
      skills: ['review', 'tdd'],
      plugins: ['superpowers'],
      deny: ['profile-x'],
    });
    expect(Object.keys(view.capabilities)).toEqual(['harnesses', 'reachable_mcp', 'skills', 'plugins', 'deny']);
    expect(view.items.harnesses).toEqual([
      {
        value: 'claude-code',
        declared: false,
        probes: [{prober: 'claude-code', facts: {path: '/bin/claude', version: '2.0.14'}}],
      },
      {value: 'codex', declared: true, probes: []},
    ]);
    expect(view.items.skills).toEqual([
      {value: 'review', declared: true, probes: []},
      {value: 'tdd', declared: true, probes: [{prober: 'claude-config'}]},
    ]);
  });

  it('ignores what a failed prober found', () => {
    const s = fold([ev('probe-ran', {results: [{...claude, ok: false, error: 'boom'}]})]);
    expect(effectiveView(s).capabilities.harnesses).toEqual([]);
  });
});
