import {describe, expect, it} from 'vitest';
import {UsageError} from '../../../../core/errors.js';
import {parseAxis} from '../../../../plugins/capabilities/axes.js';
import {
  addToAxis,
  clearCapabilities,
  declareAxis,
  denyProfiles,
  removeFromAxis,
  undenyProfiles,
} from '../../../../plugins/capabilities/decide.js';
import {capabilitiesProjection, type CapabilitiesState} from '../../../../plugins/capabilities/projection.js';

const given = (patch: Partial<CapabilitiesState> = {}): CapabilitiesState => ({
  ...capabilitiesProjection.initial(),
  ...patch,
});
const declared = (d: Partial<CapabilitiesState['declared']>): CapabilitiesState =>
  given({declared: {...given().declared, ...d}});

describe('capability decisions', () => {
  it('set replaces an axis with the sorted, de-duplicated set', () => {
    expect(declareAxis(declared({skills: ['old']}), 'skills', ['tdd', 'brainstorming', 'tdd'])).toEqual([
      {type: 'capabilities-declared', data: {axis: 'skills', values: ['brainstorming', 'tdd']}},
    ]);
  });

  it('set with the same set in another order writes nothing; set with nothing empties the axis', () => {
    expect(declareAxis(declared({skills: ['a', 'b']}), 'skills', ['b', 'a', 'a'])).toEqual([]);
    expect(declareAxis(declared({skills: ['a']}), 'skills', [])).toEqual([
      {type: 'capabilities-declared', data: {axis: 'skills', values: []}},
    ]);
    expect(declareAxis(given(), 'skills', [])).toEqual([]);
  });

  it('add declares the union; adding only known values writes nothing', () => {
    expect(addToAxis(declared({plugins: ['p']}), 'plugins', ['q', 'p'])).toEqual([
      {type: 'capabilities-declared', data: {axis: 'plugins', values: ['p', 'q']}},
    ]);
    expect(addToAxis(declared({plugins: ['p']}), 'plugins', ['p'])).toEqual([]);
  });

  it('rm withdraws declared values; values not declared write nothing', () => {
    expect(removeFromAxis(declared({reachable_mcp: ['a', 'b']}), 'reachable_mcp', ['a', 'zz'])).toEqual([
      {type: 'capabilities-declared', data: {axis: 'reachable_mcp', values: ['b']}},
    ]);
    expect(removeFromAxis(declared({reachable_mcp: ['a']}), 'reachable_mcp', ['zz'])).toEqual([]);
  });

  it.each([['harness'], ['mcp'], ['deny'], ['HARNESSES'], ['']])(
    'refuses the axis %j as a usage error listing the four',
    (axis) => {
      expect(() => parseAxis(axis)).toThrow(UsageError);
      try {
        parseAxis(axis);
      } catch (e) {
        expect((e as UsageError).message).toBe(`unknown capability axis '${axis}'`);
        expect((e as UsageError).hint).toMatch(
          axis === 'deny' ? /spor capabilities deny <profile-id>/ : /harnesses, reachable_mcp, skills, plugins/,
        );
      }
    },
  );

  it('suggests the axis a typo meant', () => {
    expect(() => parseAxis('skils')).toThrow(
      expect.objectContaining({hint: expect.stringContaining('did you mean skills?')}) as Error,
    );
  });

  it.each([['has space'], ['-flag'], ['../etc'.replace('..', '')], ['semi;colon'], ['']])(
    'refuses the value %j as a usage error',
    (value) => {
      expect(() => addToAxis(given(), 'skills', ['ok', value])).toThrow(UsageError);
    },
  );

  it('deny writes one event per profile not yet denied; undeny one per profile denied', () => {
    const s = given({deny: ['profile-a']});
    expect(denyProfiles(s, ['profile-b', 'profile-a', 'profile-b'])).toEqual([
      {type: 'profile-denied', data: {profile: 'profile-b'}},
    ]);
    expect(denyProfiles(s, ['profile-a'])).toEqual([]);
    expect(undenyProfiles(s, ['profile-a', 'profile-c'])).toEqual([
      {type: 'profile-undenied', data: {profile: 'profile-a'}},
    ]);
    expect(undenyProfiles(s, ['profile-c'])).toEqual([]);
  });

  it.each([['Profile-A'], ['profile/../x'], ['a b']])('refuses the profile id %j as a usage error', (id) => {
    expect(() => denyProfiles(given(), [id])).toThrow(UsageError);
  });

  it('clear writes one event when something is declared or probed, lifts each denied profile, and nothing otherwise', () => {
    expect(clearCapabilities(given())).toEqual([]);
    expect(clearCapabilities(given({deny: ['profile-a', 'profile-b']}))).toEqual([
      {type: 'profile-undenied', data: {profile: 'profile-a'}},
      {type: 'profile-undenied', data: {profile: 'profile-b'}},
    ]);
    expect(clearCapabilities(declared({harnesses: ['codex']}))).toEqual([{type: 'capabilities-cleared', data: {}}]);
    expect(clearCapabilities(given({probe: {at: 'x', event: 'e', results: []}}))).toEqual([
      {type: 'capabilities-cleared', data: {}},
    ]);
  });
});
