// Issue 12: briefs and the queue as the reference Spor CLI's graphs mean them, tested on the
// reference's own graphs (../shared/interop/spor-graphs: `queue` for ranking, `pricing` for
// corrections and supersession). Each test names the scenario it comes from.
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {gitRepo, stubPath} from '../helpers/dispatch.js';
import {readLog} from '../helpers/readLog.js';
import {runSpor} from '../helpers/runSpor.js';
import {tempHome} from '../helpers/tempHome.js';

const GRAPHS = '/work/shared/interop/spor-graphs';

const imported = async (name: string) => {
  const {home} = tempHome();
  const spor = (args: Array<string>, env: Record<string, string> = {}) => runSpor(args, {home, env});
  const r = await spor(['import', join(GRAPHS, name)]);
  expect(r.exitCode).toBe(0);
  return {home, spor};
};

interface Item {
  id: string;
  type: string;
  readiness: string;
}

describe('the queue, as the reference ranks it (issue 12 item 8)', () => {
  it('queue corpus, "a capture awaiting triage, a finding": both are ranked; the capture is a human\'s', async () => {
    const {spor} = await imported('queue');
    const q = JSON.parse((await spor(['next', '--json'])).stdout) as {items: Array<Item>};
    const byId = new Map(q.items.map((i) => [i.id, i]));
    expect(byId.get('cap-triage')).toMatchObject({type: 'capture-pending', readiness: 'human'});
    expect(byId.get('finding-open')).toMatchObject({type: 'finding', readiness: 'untriaged'});
    expect(q.items[0]?.id).toBe('task-unblocker');
    // --from-queue hands an agent neither a question nor human work.
    const repo = gitRepo('alpha');
    await spor(['repos', 'add', 'alpha', repo]);
    await spor(['repos', 'add', 'beta', gitRepo('beta')]);
    await spor(['repos', 'add', 'muteproj', gitRepo('muteproj')]);
    const pick = await spor(['dispatch', '--from-queue', '--slug', 'beta', '--print', '--json'], {PATH: stubPath()});
    expect(JSON.parse(pick.stdout).node).toBe('task-front');
  });

  it('pricing corpus, "a question": the open question one hop from the rollout makes the rollout need a human', async () => {
    const {spor} = await imported('pricing');
    const got = JSON.parse((await spor(['get', 'task-pricing-rollout', '--json'])).stdout);
    expect(got.readiness).toEqual({readiness: 'human', reasons: ['open question q-tier-pricing']});
    const repo = gitRepo('meridian');
    await spor(['repos', 'add', 'meridian', repo]);
    const r = await spor(['dispatch', '--from-queue', '--print'], {PATH: stubPath()});
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('nothing to dispatch from the queue');
    // Answering the question frees it.
    await spor(['set-status', 'q-tier-pricing', 'answered']);
    const freed = JSON.parse((await spor(['get', 'task-pricing-rollout', '--json'])).stdout);
    expect(freed.readiness.readiness).toBe('untriaged');
  });

  it('artifact nodes: `spor add --type artifact` works, and merged, released or done resolves one', async () => {
    const {home} = tempHome();
    const spor = (args: Array<string>) => runSpor(args, {home});
    const add = await spor(['add', 'Published price book v2', '--type', 'artifact', '--repo', 'meridian']);
    expect(add.exitCode).toBe(0);
    expect(add.stdout.trim()).toBe('artifact-published-price-book-v2');
    expect(readLog(home).at(-1)).toMatchObject({type: 'node-added', data: {node: {type: 'artifact'}}});
    for (const status of ['merged', 'released', 'done']) {
      await spor(['set-status', 'artifact-published-price-book-v2', status]);
      const got = JSON.parse((await spor(['get', 'artifact-published-price-book-v2', '--json'])).stdout);
      expect(got, status).toMatchObject({resolved: true, resolution: {by: 'status', status}});
    }
    await spor(['set-status', 'artifact-published-price-book-v2', 'draft']);
    expect(JSON.parse((await spor(['get', 'artifact-published-price-book-v2', '--json'])).stdout).resolved).toBe(false);
  });
});
