import {describe, expect, it} from 'vitest';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempHome} from '../helpers/tempHome.js';

const spor = (args: Array<string>, home: string) => runSpor(args, {home});

describe('spor agent (built binary)', () => {
  it('creates an agent owned by the only person, with its identity and an owned-by edge, in one append', async () => {
    const {home} = tempHome();
    await spor(['person', 'create', 'Ada Lovelace'], home);
    const r = await spor(['agent', 'create', 'CI Bot', '--pubkey', 'SHA256:abc'], home);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'agent-ci-bot  owned by person-ada-lovelace  spiffe://spor.local/person/ada-lovelace/agent/ci-bot',
    );
    const log = readLog(home).slice(1);
    expect(log.map((e) => e.type)).toEqual(['node-added', 'edge-added']);
    expect(log[0]?.seq).toBe(2);
    expect((log[0]?.data as {node: Record<string, unknown>}).node).toMatchObject({
      id: 'agent-ci-bot',
      type: 'agent',
      title: 'CI Bot',
      status: 'active',
      identity: 'spiffe://spor.local/person/ada-lovelace/agent/ci-bot',
      pubkey: 'SHA256:abc',
    });
    expect(log[1]?.data).toEqual({edge: {from: 'agent-ci-bot', type: 'owned-by', to: 'person-ada-lovelace'}});
    const list = JSON.parse((await spor(['agent', 'list', '--json'], home)).stdout);
    expect(list).toEqual([
      {
        id: 'agent-ci-bot',
        label: 'CI Bot',
        owner: 'person-ada-lovelace',
        owner_name: 'Ada Lovelace',
        status: 'active',
        identity: 'spiffe://spor.local/person/ada-lovelace/agent/ci-bot',
        pubkey: 'SHA256:abc',
        current: false,
      },
    ]);
    expect((await spor(['agent', 'list'], home)).stdout).toBe(
      '  agent-ci-bot  Ada Lovelace (person-ada-lovelace)  active',
    );
    // An agent or a person is never queued: `get` shows no queue state for it.
    const got = await spor(['get', 'agent-ci-bot'], home);
    expect(got.stdout).toContain('owned-by → person-ada-lovelace');
    expect(got.stdout).not.toMatch(/resolution:|readiness:/);
    expect((await spor(['get', 'person-ada-lovelace'], home)).stdout).not.toMatch(/resolution:|readiness:/);
  });

  it('refuses, writing nothing: no person, several people, an unknown owner, a duplicate id', async () => {
    const {home} = tempHome();
    const none = await spor(['agent', 'create', 'bot'], home);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('no person to own the agent');
    expect(none.stderr).toContain('spor person create');
    expect(readLog(home)).toEqual([]);
    await spor(['person', 'create', 'Ada'], home);
    await spor(['person', 'create', 'Bob'], home);
    const several = await spor(['agent', 'create', 'bot'], home);
    expect(several.exitCode).toBe(1);
    expect(several.stderr).toContain('2 people could own the agent');
    expect(several.stderr).toContain('--owner: person-ada, person-bob');
    const unknown = await spor(['agent', 'create', 'bot', '--owner', 'person-zed'], home);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("no person 'person-zed'");
    expect(readLog(home)).toHaveLength(2);
    expect((await spor(['agent', 'create', 'bot', '--owner', 'person-bob'], home)).exitCode).toBe(0);
    const dup = await spor(['agent', 'create', 'bot', '--owner', 'person-ada'], home);
    expect(dup.exitCode).toBe(1);
    expect(dup.stderr).toContain("agent 'agent-bot' already exists");
    expect(readLog(home)).toHaveLength(4);
  });

  it('use sets dispatch.agent through agent-used; labels resolve, ambiguity and unknowns are refused with candidates; --clear', async () => {
    const {home} = tempHome();
    await spor(['person', 'create', 'Ada'], home);
    await spor(['agent', 'create', 'ci'], home);
    const used = await spor(['agent', 'use', 'ci'], home);
    expect(used.stdout).toBe('dispatching as agent-ci');
    expect(readLog(home).at(-1)).toMatchObject({type: 'agent-used', data: {agent: 'agent-ci'}});
    expect((await spor(['config', 'get', 'dispatch.agent'], home)).stdout).toBe('agent-ci');
    expect(JSON.parse((await spor(['agent', 'list', '--json'], home)).stdout)[0].current).toBe(true);
    const before = readLog(home).length;
    expect((await spor(['agent', 'use', 'agent-ci'], home)).stdout).toBe('already dispatching as agent-ci');
    expect(readLog(home)).toHaveLength(before);
    const unknown = await spor(['agent', 'use', 'nope'], home);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain("no agent 'nope'");
    expect(unknown.stderr).toContain('agent-ci');
    const notAgent = await spor(['agent', 'use', 'person-ada'], home);
    expect(notAgent.stderr).toContain("'person-ada' is a person, not an agent");
    expect((await spor(['agent', 'use', '--clear'], home)).stdout).toBe('person-scoped dispatch');
    expect(readLog(home).at(-1)).toMatchObject({type: 'agent-used', data: {agent: null}});
    expect((await spor(['config', 'get', 'dispatch.agent'], home)).stdout).toBe('');
    expect((await spor(['agent', 'use'], home)).exitCode).toBe(2);
  });

  it('a label shared by two owners is ambiguous: the ids and owners are listed', async () => {
    const {home} = tempHome();
    await spor(['person', 'create', 'Ada'], home);
    await spor(['person', 'create', 'Bob'], home);
    await spor(['agent', 'create', 'Rev', '--owner', 'person-ada'], home);
    // Another agent labelled the same way under a different id, as an import would bring it.
    await spor(['add', 'Rev', '--type', 'agent', '--id', 'agent-rev-bob'], home);
    await spor(['edge', 'agent-rev-bob', 'owned-by', 'person-bob'], home);
    const r = await spor(['agent', 'use', 'rev'], home);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("agent label 'rev' is ambiguous");
    expect(r.stderr).toContain('agent-rev (owner person-ada), agent-rev-bob (owner person-bob)');
  });

  it('token is remote-only: a refusal that says a team server is needed', async () => {
    const {home} = tempHome();
    const r = await spor(['agent', 'token', 'agent-ci', 'list'], home);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('agent tokens need a team server');
    expect(r.stderr).toContain('SPOR_SERVER');
    expect(readLog(home)).toEqual([]);
  });
});
