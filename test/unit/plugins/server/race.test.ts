import {afterAll, beforeAll, describe, it} from 'vitest';
import {adminOf, memberOf, startTeamServer, type Member, type TeamServerHandle} from '../../../helpers/teamServer.js';
import {claimRace, seedTasks} from '../../../helpers/race.js';

// The same race across two server processes on one PostgreSQL: test/cli/serve.cli.test.ts.
describe('50 clients race to claim 200 nodes (embedded store, one server)', () => {
  let server: TeamServerHandle;
  let clients: Array<Member>;
  let nodes: Array<string>;
  // 2,000 claims, each waiting for its group's fdatasync: how long that takes is the machine's
  // business (a loaded disk's flush is tens of ms), so the bounds are generous; nothing is timed.
  beforeAll(async () => {
    server = await startTeamServer();
    const admin = await adminOf(server);
    clients = await Promise.all(Array.from({length: 50}, (_, i) => memberOf(server, admin, `Racer ${i}`)));
    nodes = await seedTasks(server, admin.token, 200);
  }, 120_000);
  afterAll(async () => server.stop());

  it('every node is claimed exactly once, and the losers are told by whom', async () => {
    await claimRace([server], clients, nodes);
  }, 120_000);
});
