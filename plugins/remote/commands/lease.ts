import {Option} from 'clipanion';
import {SporCommand, RefusalError} from '../../../core/index.js';
import {REMOTE, RemoteError, type ClaimBody, type ReleaseBody} from '../api.js';

export type LeaseVerb = 'claim' | 'renew' | 'extend' | 'release';

/**
 * `spor claim|renew|extend|release <node>`: the team server's lease on a node. In local mode they
 * say claims are a team feature and exit 0 (nothing to hold: a local dispatch's claim is its run).
 */
export abstract class LeaseCommand extends SporCommand {
  node = Option.String({name: 'node-id'});
  asJson = Option.Boolean('--json', false, {description: "print the server's answer as JSON"});

  protected async lease(verb: LeaseVerb, body: Record<string, unknown>): Promise<number> {
    const remote = this.get(REMOTE);
    const client = await remote.client();
    if (client === undefined) {
      this.out(
        `claims are a team feature: this machine is in local mode, so there is nothing to ${verb} (spor login <url> <token>)`,
      );
      return 0;
    }
    let answer: ClaimBody | ReleaseBody;
    try {
      answer = await client.request<ClaimBody | ReleaseBody>(
        'POST',
        `/v1/nodes/${encodeURIComponent(this.node)}/${verb}`,
        {body},
      );
    } catch (e) {
      // A lease held by someone else, lapsed or unknown: the server's own words, which name the holder.
      if (e instanceof RemoteError && (e.status === 409 || e.status === 404))
        throw new RefusalError(`cannot ${verb} ${this.node}: ${e.reason ?? e.message}`, {
          code: e.status === 409 ? 'E_CLAIMED' : 'E_NODE_UNKNOWN',
          hint:
            e.status === 404
              ? 'the team server has no such node; check the id (`spor next` lists local ones)'
              : verb === 'claim'
                ? 'wait for the holder to release it or for the lease to lapse'
                : `claim it again with \`spor claim ${this.node}\` if nobody else holds it`,
        });
      throw e;
    }
    if (this.asJson) {
      this.json(answer);
      return 0;
    }
    if ('lease' in answer) {
      const l = answer.lease;
      const capped = (answer as ClaimBody).capped_to_max
        ? ` (capped to the server's maximum of ${Math.round(((answer as ClaimBody).claim_ttl_max_ms ?? 0) / 60_000)} min)`
        : '';
      this.out(
        `${answer.status} ${this.node} until ${l.expires_at}${l.fence !== undefined ? ` (fence ${l.fence})` : ''}${capped}`,
      );
    } else {
      this.out(answer.released ? `released ${this.node}` : `${this.node} was not held by you; nothing to release`);
    }
    return 0;
  }
}
