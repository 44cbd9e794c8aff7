import {
  inject,
  injectable,
  parseDuration,
  RefusalError,
  token,
  type Clock,
  type Settings,
  CLOCK,
  SETTINGS,
} from '../../core/index.js';
import {
  CAPABILITIES,
  hostLines,
  hostsFor,
  publishCapabilities,
  readPublished,
  staleness,
  type CapabilitiesService,
} from '../capabilities/api.js';
import {
  createClient,
  LEASE_COMPANION,
  REMOTE,
  RemoteError,
  TIMEOUT_KEY,
  type ClaimBody,
  type LeaseCompanionData,
  type Remote,
  type RemoteClient,
  type SessionTokenBody,
} from '../remote/api.js';
import type {CompanionRequest} from '../runs/api.js';
import type {DispatchIo, DispatchRequest} from './api.js';
import type {Plan} from './plan.js';

/** How often the supervisor renews the lease (empty: a third of the lease the server granted). */
export const RENEW_KEY = 'dispatch.renewEvery';
/** A published capabilities record older than this is published again by a dispatch. */
export const PUBLISH_AFTER_KEY = 'dispatch.publishAfter';

/** What `--print` shows of the team half (no values: never a token). */
export interface TeamPlan {
  server: string;
  /** The node the dispatch will claim (none: free text, or --no-claim). */
  claims?: string;
  /** The agent a per-run token is minted for. */
  agent?: string;
}

/** The team half of a run that goes ahead: what the harness and its supervisor get, and the undo. */
export interface TeamRun {
  /** SPOR_SERVER and the per-run SPOR_TOKEN, for the harness's environment (over the pipe). */
  env: Record<string, string>;
  companions: Array<CompanionRequest>;
  /** Releases the claim this dispatch took (a later step failed); a failure is a warning. */
  release(io: DispatchIo): Promise<void>;
}

/** How often to renew: the setting, else a third of the lease (two renewals may fail before it lapses). */
const renewEvery = (set: number | undefined, lease: ClaimBody['lease'] | undefined): number => {
  if (set !== undefined) return set;
  const ttl = lease ? lease.expires - Date.parse(lease.claimed_at) : Number.NaN;
  return Number.isFinite(ttl) && ttl > 3000 ? Math.floor(ttl / 3) : 15 * 60_000;
};

const warn = (io: DispatchIo, message: string): void => {
  io.stderr.write(`spor: warning: ${message}\n`);
};
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The remote half of `spor dispatch` (remote mode only; local mode: every method is a no-op), a
 * step of DispatchService.launch: claim the node (with a per-dispatch nonce as the lease's session
 * until the harness names its own), mint the per-run agent token, publish this machine's
 * capabilities when the record is stale, and hand the lease to the supervisor's companion.
 * A failed claim or mint refuses the dispatch; every failed read is a warning.
 */
@injectable()
export class TeamStep {
  constructor(
    @inject(REMOTE) private readonly remote: Remote,
    @inject(CAPABILITIES) private readonly capabilities: CapabilitiesService,
    @inject(SETTINGS) private readonly settings: Settings,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The team half as `--print` shows it, or undefined in local mode. */
  describe(request: DispatchRequest, plan: Pick<Plan, 'node' | 'agent'>): TeamPlan | undefined {
    const conn = this.remote.connection();
    if (conn === undefined) return undefined;
    return {
      server: conn.server,
      ...(plan.node && request.claim ? {claims: plan.node.id} : {}),
      ...(plan.agent ? {agent: plan.agent} : {}),
    };
  }

  /**
   * Claims, mints and publishes for a run about to launch. Throws a RefusalError (nothing launched)
   * when the claim or the token fails; undefined in local mode.
   */
  async prepare(plan: Plan, request: DispatchRequest, io: DispatchIo): Promise<TeamRun | undefined> {
    const conn = this.remote.connection();
    if (conn === undefined) return undefined;
    // One read of the settings for the whole step.
    const settings = await this.settings.view();
    const ms = (key: string): number | undefined => parseDuration(String(settings.get(key).value));
    const timeoutMs = ms(TIMEOUT_KEY) ?? 10_000;
    const client = createClient({server: conn.server, token: conn.token, timeoutMs});
    const node = plan.node && request.claim ? plan.node.id : undefined;
    const nonce = `dispatch-${plan.runId}`;
    const lease = node === undefined ? undefined : await this.claim(client, node, nonce, request.force, io);
    const release = async (io2: DispatchIo): Promise<void> => {
      if (node === undefined) return;
      try {
        await client.request('POST', `/v1/nodes/${encodeURIComponent(node)}/release`, {body: {}});
        io2.stderr.write(`spor: released the claim on ${node}\n`);
      } catch (e) {
        warn(io2, `could not release the claim on ${node}: ${messageOf(e)} (it lapses on its own)`);
      }
    };
    let token: string | undefined;
    if (plan.agent !== undefined) {
      try {
        token = (
          await client.request<SessionTokenBody>('POST', `/v1/agents/${encodeURIComponent(plan.agent)}/token`, {
            body: {},
          })
        ).token;
      } catch (e) {
        await release(io);
        throw new RefusalError(`could not mint a run token for ${plan.agent}: ${messageOf(e)}`, {
          code: 'E_AGENT_TOKEN',
          hint:
            e instanceof RemoteError && (e.status === 403 || e.status === 404)
              ? 'dispatch as an agent you own on the team server (`spor agent list`, `--as <agent-id>`); nothing was launched'
              : 'nothing was launched; run it again once the server answers',
        });
      }
      await this.publishIfStale(client, plan.agent, ms(PUBLISH_AFTER_KEY) ?? 3_600_000, io);
    } else warn(io, 'no agent to run as (`spor agent use <agent-id>` or --as): the run gets no team token');
    const renewEveryMs = renewEvery(ms(RENEW_KEY), lease);
    const data: LeaseCompanionData = {
      server: conn.server,
      // The narrowest bearer that can renew: the run's own token, else the dispatcher's.
      token: token ?? conn.token,
      ...(node ? {node} : {}),
      renewEveryMs,
      bindSession: token !== undefined,
      timeoutMs,
    };
    return {
      env: {SPOR_SERVER: conn.server, ...(token ? {SPOR_TOKEN: token} : {})},
      companions: node !== undefined || token !== undefined ? [{name: LEASE_COMPANION, data}] : [],
      release,
    };
  }

  /**
   * The claim: someone else's live lease refuses (naming them); a live lease of a run of yours
   * (it has a session) refuses unless --force re-claims; your own person-scoped claim is renewed.
   * The lease then carries this dispatch's nonce as its session until the harness names its own.
   */
  private async claim(
    client: RemoteClient,
    node: string,
    nonce: string,
    force: boolean,
    io: DispatchIo,
  ): Promise<ClaimBody['lease']> {
    const path = `/v1/nodes/${encodeURIComponent(node)}`;
    let answer: ClaimBody;
    try {
      answer = await client.request<ClaimBody>('POST', `${path}/claim`, {body: {}});
    } catch (e) {
      const held = e instanceof RemoteError && e.status === 409;
      throw new RefusalError(
        held ? `cannot claim ${node}: ${e.reason ?? e.message}` : `could not claim ${node}: ${messageOf(e)}`,
        {
          code: held ? 'E_CLAIMED' : 'E_CLAIM_FAILED',
          hint: held
            ? 'nothing was launched; wait for the holder to release it, or dispatch something else'
            : e instanceof RemoteError && e.status === 404
              ? `the team server has no node ${node}; nothing was launched (--no-claim dispatches without the team's lease)`
              : "nothing was launched; run it again once the server answers (--no-claim dispatches without the team's lease)",
        },
      );
    }
    const before = answer.lease.session;
    if (answer.status === 'renewed' && before !== null && before !== nonce && !force)
      throw new RefusalError(
        `${node} is already claimed by a run of yours (session ${before}) until ${answer.lease.expires_at}`,
        {
          code: 'E_CLAIMED',
          hint: 'follow that run, or pass --force to re-claim it for this one; nothing was launched',
        },
      );
    if (answer.status === 'renewed') io.stderr.write(`spor: re-claimed ${node} (you held it already)\n`);
    try {
      const bound = await client.request<ClaimBody>('POST', `${path}/renew`, {body: {session: nonce}});
      return bound.lease;
    } catch (e) {
      warn(io, `the claim on ${node} was taken, but not tagged with this dispatch: ${messageOf(e)}`);
      return answer.lease;
    }
  }

  /** Publishes this machine's capabilities for `agent` when the server's record is stale; failures warn. */
  private async publishIfStale(client: RemoteClient, agent: string, maxAge: number, io: DispatchIo): Promise<void> {
    try {
      const [record, mine] = await Promise.all([readPublished(client, agent), this.capabilities.effective()]);
      const why = staleness(record, mine, this.clock.now(), maxAge);
      if (why === undefined) return;
      await publishCapabilities(client, agent, mine);
      io.stderr.write(`spor: published this machine's capabilities for ${agent} (${why})\n`);
    } catch (e) {
      warn(io, `could not refresh ${agent}'s published capabilities: ${messageOf(e)}`);
    }
  }

  /**
   * A refusal because this machine cannot run the profile, with the fleet's hosts that can (remote
   * mode); the refusal unchanged in local mode or when the server cannot say.
   */
  async withHosts(refusal: RefusalError, profile: string | undefined, io: DispatchIo): Promise<RefusalError> {
    const conn = this.remote.connection();
    if (conn === undefined || profile === undefined) return refusal;
    try {
      const hosts = await hostsFor(await this.remote.clientFor(conn), profile);
      if (hosts.satisfiable.length === 0) {
        return new RefusalError(refusal.message, {
          code: refusal.code ?? 'E_UNSATISFIABLE',
          hint: `no machine of the fleet can run it either (${hosts.unsatisfiable.length} published); fix what each reason names, or ask its owner`,
        });
      }
      io.stderr.write(`spor: machines of the fleet that can run ${profile}:\n`);
      for (const l of hostLines({...hosts, unsatisfiable: []})) io.stderr.write(`${l}\n`);
      return new RefusalError(refusal.message, {
        code: refusal.code ?? 'E_UNSATISFIABLE',
        hint: `dispatch it from one of them (${hosts.satisfiable.map((h) => h.agent).join(', ')})`,
      });
    } catch (e) {
      warn(io, `could not ask the team server which machines can run ${profile}: ${messageOf(e)}`);
      return refusal;
    }
  }
}

/** The dispatch plugin's team step (remote mode). */
export const TEAM_STEP = token<TeamStep>('spor.dispatch.TeamStep');
