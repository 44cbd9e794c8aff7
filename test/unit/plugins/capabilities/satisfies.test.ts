import {describe, expect, it} from 'vitest';
import {satisfies, type Capabilities, type ProfileNeeds} from '../../../../plugins/capabilities/api.js';

const machine: Capabilities = {
  harnesses: ['claude-code', 'codex'],
  reachable_mcp: ['github', 'linear'],
  skills: ['superpowers:brainstorming', 'tdd'],
  plugins: ['superpowers'],
  deny: ['profile-prod'],
};

const profile = (p: Partial<ProfileNeeds> = {}): ProfileNeeds => ({
  id: 'profile-dev',
  harness: 'claude-code',
  mcp: ['linear'],
  skills: ['tdd', 'superpowers:brainstorming'],
  plugins: ['superpowers'],
  ...p,
});

describe('satisfies(capabilities, profile)', () => {
  it('is ok, with no reasons, when every atom is present', () => {
    expect(satisfies(machine, profile())).toEqual({ok: true, reasons: []});
  });

  it('needs nothing for atoms a profile does not list', () => {
    expect(
      satisfies({harnesses: [], reachable_mcp: [], skills: [], plugins: [], deny: []}, {id: 'profile-bare'}),
    ).toEqual({ok: true, reasons: []});
  });

  it('refuses a denied profile even when everything else is there, naming undeny', () => {
    expect(satisfies(machine, profile({id: 'profile-prod'}))).toEqual({
      ok: false,
      reasons: [
        "profile 'profile-prod' is denied on this machine — allow it again with `spor capabilities undeny profile-prod`",
      ],
    });
  });

  it('names the binary setting for a missing harness when a plugin declares one', () => {
    const verdict = satisfies(machine, profile({harness: 'gemini'}), {
      binarySetting: (h) => (h === 'gemini' ? 'harness.gemini.binary' : undefined),
    });
    expect(verdict).toEqual({
      ok: false,
      reasons: [
        "harness 'gemini' is not installed here — install it, or point `harness.gemini.binary` at it with `spor config set harness.gemini.binary <path>`",
      ],
    });
  });

  it('suggests declaring a missing harness nobody probes for', () => {
    expect(satisfies(machine, profile({harness: 'aider'})).reasons).toEqual([
      "harness 'aider' is not installed here — install it (or a plugin that probes for it), or declare it with `spor capabilities add harnesses aider`",
    ]);
  });

  it('gives one reason per missing MCP server, naming allow-mcp', () => {
    expect(satisfies(machine, profile({mcp: ['linear', 'sentry', 'figma']})).reasons).toEqual([
      "MCP server 'sentry' is not reachable here — declare it with `spor capabilities allow-mcp sentry`",
      "MCP server 'figma' is not reachable here — declare it with `spor capabilities allow-mcp figma`",
    ]);
  });

  it('gives one reason per missing skill, naming add skills', () => {
    expect(satisfies(machine, profile({skills: ['tdd', 'brainstorming']})).reasons).toEqual([
      "skill 'brainstorming' is not installed here — install it, or declare it with `spor capabilities add skills brainstorming`",
    ]);
  });

  it('gives one reason per missing plugin, naming add plugins', () => {
    expect(satisfies(machine, profile({plugins: ['superpowers', 'linear-tools']})).reasons).toEqual([
      "plugin 'linear-tools' is not installed here — install it, or declare it with `spor capabilities add plugins linear-tools`",
    ]);
  });

  it('lists every failing atom in the order deny, harness, MCP, skills, plugins', () => {
    const verdict = satisfies(machine, {
      id: 'profile-prod',
      harness: 'opencode',
      mcp: ['sentry'],
      skills: ['x'],
      plugins: ['y'],
    });
    expect(verdict.ok).toBe(false);
    expect(verdict.reasons.map((r) => r.split(' ').slice(0, 2).join(' '))).toEqual([
      "profile 'profile-prod'",
      "harness 'opencode'",
      'MCP server',
      "skill 'x'",
      "plugin 'y'",
    ]);
  });

  it('matches names exactly: a plugin skill is not the bare skill, and case counts', () => {
    const caps = {...machine, skills: ['superpowers:brainstorming'], reachable_mcp: ['Linear']};
    expect(satisfies(caps, profile({skills: ['brainstorming'], mcp: ['linear'], plugins: []})).reasons).toHaveLength(2);
  });

  it('is pure: it does not change its inputs, and the same inputs give the same verdict', () => {
    const caps = structuredClone(machine);
    const p = profile({harness: 'gemini', mcp: ['sentry']});
    const copy = structuredClone(p);
    const first = satisfies(caps, p);
    expect(satisfies(caps, p)).toEqual(first);
    expect(caps).toEqual(machine);
    expect(p).toEqual(copy);
  });
});
