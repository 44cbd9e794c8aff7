import {existsSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {EventDraft} from '../../../core/events.js';
import {SNAPSHOT_AFTER} from '../../../core/projector.js';
import {tempDir} from '../../helpers/tempHome.js';
import {
  applyToModel,
  bootAt,
  configSet,
  configUnset,
  emptyModel,
  repoAdded,
  repoRemoved,
  type Model,
} from './projectorFixture.js';

type Slice = 'repos' | 'settings';
type Op =
  | {kind: 'append'; drafts: Array<EventDraft>}
  | {kind: 'project'; slices: Array<Slice>}
  | {kind: 'rebuild'; slices: Array<Slice>}
  | {kind: 'drop'; slice: Slice}
  | {kind: 'garble'; slice: Slice; bytes: Uint8Array}
  | {kind: 'restart'};

const slug = fc.constantFrom('api', 'web', 'spor', 'docs', 'infra', 'ml', 'a-b');
const key = fc.constantFrom('hooks.timeout', 'editor', 'agent.default', 'x');
const value = fc.oneof(fc.string({maxLength: 10}), fc.integer(), fc.boolean());
const draft: fc.Arbitrary<EventDraft> = fc.oneof(
  {weight: 4, arbitrary: fc.tuple(slug, fc.nat(999)).map(([s, n]) => repoAdded(s, `/src/${s}/${n}`))},
  {weight: 2, arbitrary: slug.map(repoRemoved)},
  {weight: 3, arbitrary: fc.tuple(key, value).map(([k, v]) => configSet(k, v))},
  {weight: 1, arbitrary: key.map(configUnset)},
);
const slices = fc.constantFrom<Array<Slice>>(['repos'], ['settings'], ['repos', 'settings'], ['settings', 'repos']);
const slice = fc.constantFrom<Slice>('repos', 'settings');
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.array(draft, {minLength: 1, maxLength: 30}).map((drafts) => ({kind: 'append' as const, drafts})),
  },
  {weight: 4, arbitrary: slices.map((s) => ({kind: 'project' as const, slices: s}))},
  {weight: 1, arbitrary: slices.map((s) => ({kind: 'rebuild' as const, slices: s}))},
  {weight: 1, arbitrary: slice.map((s) => ({kind: 'drop' as const, slice: s}))},
  {
    weight: 1,
    arbitrary: fc
      .tuple(slice, fc.uint8Array({maxLength: 64}))
      .map(([s, bytes]) => ({kind: 'garble' as const, slice: s, bytes})),
  },
  {weight: 1, arbitrary: fc.constant({kind: 'restart' as const})},
);

const snapshotFile = (sporHome: string, s: Slice): string => join(sporHome, 'snapshots', `${s}.json`);
const snapshotSeq = (file: string): number | undefined => {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as {seq: number}).seq;
  } catch {
    return undefined;
  }
};

describe('Projector', () => {
  it('state from snapshot + tail equals a full replay, for random command sequences', async () => {
    let foldedFromSnapshot = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, {minLength: 1, maxLength: 40}), async (ops) => {
        const home = tempDir('spor-proj-');
        let spor = await bootAt(home);
        const model: Model = emptyModel();
        let seq = 0;
        for (const o of ops) {
          switch (o.kind) {
            case 'append': {
              const stored = await spor.store.append(o.drafts);
              expect(stored.map((e) => e.seq)).toEqual(o.drafts.map((_, i) => seq + i + 1));
              for (const d of o.drafts) applyToModel(model, d);
              seq += o.drafts.length;
              break;
            }
            case 'project': {
              for (const s of o.slices) {
                const at = snapshotSeq(snapshotFile(spor.paths.home, s));
                if (at !== undefined && at > 0 && at < seq) foldedFromSnapshot += 1;
              }
              const got = await spor.projector.project(o.slices);
              expect(got.seq).toBe(seq);
              for (const s of o.slices) expect(got.state[s], `${s} after ${seq} events`).toEqual(model[s]);
              break;
            }
            case 'rebuild':
              expect(await spor.projector.rebuild(o.slices)).toBe(seq);
              break;
            case 'drop':
              rmSync(snapshotFile(spor.paths.home, o.slice), {force: true});
              break;
            case 'garble':
              if (existsSync(snapshotFile(spor.paths.home, o.slice)))
                writeFileSync(snapshotFile(spor.paths.home, o.slice), o.bytes);
              break;
            case 'restart':
              spor = await bootAt(home);
              break;
          }
        }
        const final = await spor.projector.project(['repos', 'settings']);
        expect(final).toEqual({seq, state: model});
        // A full replay: no snapshots at all, in a fresh process.
        rmSync(join(spor.paths.home, 'snapshots'), {recursive: true, force: true});
        const replayed = await (await bootAt(home)).projector.project(['repos', 'settings']);
        expect(replayed).toEqual(final);
        expect(spor.stderr.text).toBe('');
      }),
      {numRuns: 60},
    );
    // The property is only worth something if snapshots were really resumed from, with a tail.
    expect(foldedFromSnapshot).toBeGreaterThan(0);
  });

  it(`writes a slice's snapshot once ${SNAPSHOT_AFTER} events were folded past it, and resumes from it`, async () => {
    const home = tempDir('spor-proj-');
    const spor = await bootAt(home);
    const file = snapshotFile(spor.paths.home, 'repos');
    await spor.store.append(Array.from({length: SNAPSHOT_AFTER - 1}, (_, i) => repoAdded(`r${i}`, `/src/${i}`)));
    await spor.projector.project(['repos']);
    expect(snapshotSeq(file)).toBe(SNAPSHOT_AFTER - 1);
    await spor.store.append([repoRemoved('r0')]);
    await spor.projector.project(['repos']);
    // Only one event past the snapshot: not worth rewriting it.
    expect(snapshotSeq(file)).toBe(SNAPSHOT_AFTER - 1);
    await spor.store.append(Array.from({length: SNAPSHOT_AFTER}, (_, i) => repoRemoved(`r${i + 1}`)));
    const got = await spor.projector.project(['repos']);
    expect(snapshotSeq(file)).toBe(2 * SNAPSHOT_AFTER);
    expect(Object.keys(got.state.repos.bySlug)).toEqual([]);
  });

  it('keeps what it read: a later read in the same process folds only what was appended since', async () => {
    const home = tempDir('spor-proj-');
    const spor = await bootAt(home);
    await spor.store.append([repoAdded('api', '/src/api'), configSet('editor', 'vi')]);
    const first = await spor.projector.project(['repos']);
    const from: Array<number> = [];
    const read = spor.store.read.bind(spor.store);
    spor.store.read = (offset, after, on) => {
      from.push(offset);
      return read(offset, after, on);
    };
    const size = spor.store.size();
    await spor.store.append([repoAdded('web', '/src/web')]);
    const second = await spor.projector.project(['repos']);
    expect(from).toEqual([size]);
    expect(second.state.repos).toBe(first.state.repos);
    expect(second.state.repos.bySlug).toEqual({api: '/src/api', web: '/src/web'});
    expect(second.seq).toBe(3);
  });

  it('resumes from a snapshot whose last record is longer than the first read before it', async () => {
    const home = tempDir('spor-proj-');
    const first = await bootAt(home);
    const long = `/src/${'x'.repeat(10_000)}`;
    await first.store.append([
      ...Array.from({length: SNAPSHOT_AFTER}, (_, i) => repoAdded(`r${i}`, `/src/${i}`)),
      repoAdded('long', long),
    ]);
    await first.projector.project(['repos']);
    expect(snapshotSeq(snapshotFile(first.paths.home, 'repos'))).toBe(SNAPSHOT_AFTER + 1);
    await first.store.append([repoRemoved('r0')]);
    const again = await bootAt(home);
    const from: Array<number> = [];
    const read = again.store.read.bind(again.store);
    again.store.read = (offset, after, on) => {
      from.push(offset);
      return read(offset, after, on);
    };
    const got = await again.projector.project(['repos']);
    expect(from).toEqual([
      (JSON.parse(readFileSync(snapshotFile(first.paths.home, 'repos'), 'utf8')) as {offset: number}).offset,
    ]);
    expect(got.state.repos.bySlug.long).toBe(long);
    expect(got.state.repos.bySlug.r0).toBeUndefined();
  });

  it('while another writer holds the lock, project() still answers and leaves the snapshot for later', async () => {
    const home = tempDir('spor-proj-');
    const spor = await bootAt(home);
    await spor.store.append(Array.from({length: 100}, (_, i) => repoAdded(`r${i % 10}`, `/src/${i}`)));
    const file = snapshotFile(spor.paths.home, 'repos');
    const got = await spor.store.withLock(async () => spor.projector.project(['repos']));
    expect(got.state.repos.bySlug.r3).toBe('/src/93');
    expect(existsSync(file)).toBe(false);
    await spor.projector.project(['repos']);
    expect(snapshotSeq(file)).toBe(100);
  });
});

describe('Projector.defer: a process that writes takes the lock only for its writes', () => {
  it('a due snapshot waits for the next lock the process takes: a decision, an append, or settle()', async () => {
    const home = tempDir('spor-proj-');
    const spor = await bootAt(home);
    const file = (s: Slice) => snapshotFile(spor.paths.home, s);
    await spor.store.append(Array.from({length: 100}, (_, i) => repoAdded(`r${i % 10}`, `/src/${i}`)));
    spor.projector.defer();
    expect((await spor.projector.project(['repos'])).state.repos.bySlug.r3).toBe('/src/93');
    expect(existsSync(file('repos'))).toBe(false);
    // A decision under the lock writes it, along with its own slices'.
    await spor.store.withLock(() => spor.projector.project(['settings'], {locked: true}));
    expect(snapshotSeq(file('repos'))).toBe(100);
    expect(snapshotSeq(file('settings'))).toBe(100);

    await spor.store.append(Array.from({length: SNAPSHOT_AFTER}, (_, i) => configSet(`k${i}`, i)));
    await spor.projector.project(['settings']);
    expect(snapshotSeq(file('settings'))).toBe(100);
    // An append flushes under its own lock (what Host.append does).
    await spor.store.withLock(() => spor.projector.flush());
    expect(snapshotSeq(file('settings'))).toBe(100 + SNAPSHOT_AFTER);

    await spor.store.append(Array.from({length: SNAPSHOT_AFTER}, (_, i) => repoRemoved(`r${i % 10}`)));
    await spor.projector.project(['repos']);
    expect(snapshotSeq(file('repos'))).toBe(100);
    // Nothing else came: the command's end writes it, taking the lock when it is free.
    await spor.store.withLock(() => spor.projector.settle());
    expect(snapshotSeq(file('repos'))).toBe(100);
    await spor.projector.settle();
    expect(snapshotSeq(file('repos'))).toBe(100 + 2 * SNAPSHOT_AFTER);
  });
});

describe('a missing or damaged snapshot is rebuilt silently', () => {
  const setUp = async () => {
    const home = tempDir('spor-proj-');
    const spor = await bootAt(home);
    const model = emptyModel();
    const append = async (drafts: Array<EventDraft>) => {
      await spor.store.append(drafts);
      for (const d of drafts) applyToModel(model, d);
    };
    for (let i = 0; i < 70; i += 1)
      await append([repoAdded(`r${i % 12}`, `/src/${i}`), ...(i % 5 === 0 ? [repoRemoved(`r${(i + 3) % 12}`)] : [])]);
    await spor.projector.project(['repos']);
    const file = snapshotFile(spor.paths.home, 'repos');
    const older = readFileSync(file);
    for (let i = 0; i < 40; i += 1) await append([repoAdded(`s${i % 7}`, `/srv/${i}`), repoRemoved(`r${i % 12}`)]);
    await spor.projector.project(['repos']);
    const good = JSON.parse(readFileSync(file, 'utf8')) as {
      slice: string;
      version: number;
      seq: number;
      offset: number;
      lastId: string;
      state: unknown;
    };
    // A tail past the snapshot, so a trusted snapshot would be resumed from.
    await append([repoAdded('tail', '/src/tail'), repoRemoved('s1'), configSet('editor', 'vi')]);
    const lastSeq = spor.store.inspect().lastSeq;
    return {home, spor, file, good, older, model, lastSeq};
  };

  const damaged = (
    good: {seq: number; offset: number; version: number; lastId: string},
    logSize: number,
    previousEnd: number,
  ): Record<string, string | Buffer | undefined> => ({
    deleted: undefined,
    'garbage bytes': Buffer.from([0x00, 0xff, 0x7b, 0x22, 0x13, 0x80, 0x0a, 0x5d]),
    'cut short': JSON.stringify(good).slice(0, 40),
    empty: '',
    null: 'null',
    'an array': '[]',
    'wrong seq (lower)': JSON.stringify({...good, seq: good.seq - 1}),
    'wrong seq (beyond the log)': JSON.stringify({...good, seq: 100_000}),
    'wrong offset (inside a record)': JSON.stringify({...good, offset: good.offset - 3}),
    'wrong offset (the record before)': JSON.stringify({...good, offset: previousEnd}),
    'wrong offset (beyond the log)': JSON.stringify({...good, offset: logSize + 500}),
    'wrong lastId': JSON.stringify({...good, lastId: 'not-the-id'}),
    'no lastId': JSON.stringify({...good, lastId: undefined}),
    'wrong version': JSON.stringify({...good, version: good.version + 1}),
    'another slice': JSON.stringify({...good, slice: 'settings'}),
    'no state': JSON.stringify({...good, state: undefined}),
  });

  it('for each kind of damage, the state is right, nothing is printed, and a good snapshot replaces it', async () => {
    const {home, spor, file, good, model, lastSeq} = await setUp();
    const log = readFileSync(spor.paths.log);
    const previousEnd = log.lastIndexOf(10, good.offset - 2) + 1;
    const cases = damaged(good, statSync(spor.paths.log).size, previousEnd);
    for (const [name, content] of Object.entries(cases)) {
      if (content === undefined) rmSync(file, {force: true});
      else writeFileSync(file, content);
      const fresh = await bootAt(home);
      const got = await fresh.projector.project(['repos']);
      expect(got.state.repos, name).toEqual(model.repos);
      expect(got.seq, name).toBe(lastSeq);
      expect(fresh.stderr.text, name).toBe('');
      const rewritten = JSON.parse(readFileSync(file, 'utf8')) as typeof good;
      expect(rewritten, name).toMatchObject({slice: 'repos', version: good.version, seq: lastSeq, offset: log.length});
      expect(rewritten.state, name).toEqual(model.repos);
    }
    expect(readFileSync(spor.paths.log).equals(log)).toBe(true);
  });

  it('an older but intact snapshot is resumed from, and its tail folded in', async () => {
    const {home, file, older, model} = await setUp();
    writeFileSync(file, older);
    const got = await (await bootAt(home)).projector.project(['repos']);
    expect(got.state.repos).toEqual(model.repos);
  });

  it('rebuild() ignores every snapshot and rewrites them all from the log', async () => {
    const {home, spor, file, good, model, lastSeq} = await setUp();
    // A snapshot that looks trustworthy (right anchor) but holds a wrong state: only rebuild fixes it.
    writeFileSync(file, JSON.stringify({...good, state: {bySlug: {bogus: '/nowhere'}}}));
    expect(await (await bootAt(home)).projector.rebuild()).toBe(lastSeq);
    await expect((await bootAt(home)).projector.project(['repos', 'settings'])).resolves.toEqual({
      seq: lastSeq,
      state: model,
    });
    expect(snapshotSeq(snapshotFile(spor.paths.home, 'settings'))).toBe(lastSeq);
  });
});
