import type {TeamDraft, TeamEvent} from '../events.js';
import {streamOf} from '../events.js';
import type {CapabilitiesRecord, Credential, LeaseRecord, NodeRecord, TokenRecord} from './records.js';

/** The team server's projections in memory (the embedded backend): folded from its log. */
export class TeamState {
  readonly nodes = new Map<string, NodeRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly leases = new Map<string, LeaseRecord>();
  readonly caps = new Map<string, CapabilitiesRecord>();
  readonly versions = new Map<string, number>();
  /** Tokens by person and by agent (hashes), so listing one subject's tokens is not a scan. */
  readonly tokensOf = new Map<string, Set<string>>();
  /** Agents by owner (ids), so one person's machines (the hosts a member sees) are not a scan. */
  readonly agentsOf = new Map<string, Set<string>>();
  /** Who points at each node: target id → the ids of the nodes with an edge to it. */
  readonly inbound = new Map<string, Set<string>>();
  /** Bumped by every node write (caches of the whole graph key on it). */
  graphGeneration = 0;
  events = 0;

  version(stream: string): number {
    return this.versions.get(stream) ?? 0;
  }

  credential(hash: string): Credential | undefined {
    const token = this.tokens.get(hash);
    if (!token) return undefined;
    const agent = token.agent === undefined ? undefined : this.nodes.get(token.agent);
    const personId = token.person ?? agent?.owner;
    const person = personId === undefined ? undefined : this.nodes.get(personId);
    return {token, ...(person ? {person} : {}), ...(agent ? {agent} : {})};
  }

  /** Folds one event in (in place). Deterministic: everything it needs is in the event. */
  apply(event: Pick<TeamEvent, 'type' | 'data'>): void {
    const draft = event as TeamDraft;
    const stream = streamOf(draft);
    const version = this.version(stream) + 1;
    this.versions.set(stream, version);
    this.events += 1;
    switch (draft.type) {
      case 'team-node-written': {
        const {node, revision} = draft.data;
        const owner = node.type === 'agent' ? node.edges.find((e) => e.type === 'owned-by')?.to : undefined;
        const before = this.nodes.get(node.id);
        for (const e of before?.node.edges ?? []) this.inbound.get(e.to)?.delete(node.id);
        if (before?.owner !== owner) {
          if (before?.owner !== undefined) this.agentsOf.get(before.owner)?.delete(node.id);
          if (owner !== undefined) {
            let mine = this.agentsOf.get(owner);
            if (!mine) this.agentsOf.set(owner, (mine = new Set()));
            mine.add(node.id);
          }
        }
        for (const e of node.edges) {
          let from = this.inbound.get(e.to);
          if (!from) this.inbound.set(e.to, (from = new Set()));
          from.add(node.id);
        }
        this.nodes.set(node.id, {node, revision, version, ...(owner ? {owner} : {})});
        this.graphGeneration += 1;
        return;
      }
      case 'team-token-issued': {
        const d = draft.data;
        this.tokens.set(d.hash, {...d, version});
        for (const subject of [d.person, d.agent]) if (subject !== undefined) this.index(subject, d.hash);
        return;
      }
      case 'team-token-revoked':
        return this.patchToken(draft.data.hash, version, {revoked: draft.data.at});
      case 'team-token-bound':
        return this.patchToken(draft.data.hash, version, {session: draft.data.session});
      case 'team-token-used':
        return this.patchToken(draft.data.hash, version, {last_used: draft.data.at});
      case 'team-lease-claimed': {
        const d = draft.data;
        this.leases.set(d.node, {
          node: d.node,
          fence: d.fence,
          holder: {
            person: d.person,
            ...(d.agent ? {agent: d.agent} : {}),
            ...(d.session ? {session: d.session} : {}),
            claimed_at: d.claimed_at,
            expires_at: d.expires_at,
          },
          version,
        });
        return;
      }
      case 'team-lease-renewed': {
        const lease = this.leases.get(draft.data.node);
        if (!lease?.holder) return;
        const session = draft.data.session ?? lease.holder.session;
        this.leases.set(draft.data.node, {
          ...lease,
          holder: {...lease.holder, expires_at: draft.data.expires_at, ...(session ? {session} : {})},
          version,
        });
        return;
      }
      case 'team-lease-released': {
        const lease = this.leases.get(draft.data.node);
        this.leases.set(draft.data.node, {node: draft.data.node, fence: lease?.fence ?? 0, version});
        return;
      }
      case 'team-capabilities-published': {
        const d = draft.data;
        this.caps.set(d.agent, {...d, version});
        return;
      }
      case 'team-agent-seen': {
        const caps = this.caps.get(draft.data.agent);
        if (caps) this.caps.set(draft.data.agent, {...caps, last_seen: draft.data.at, version});
        return;
      }
    }
  }

  private patchToken(hash: string, version: number, patch: Partial<TokenRecord>): void {
    const token = this.tokens.get(hash);
    if (token) this.tokens.set(hash, {...token, ...patch, version});
  }

  private index(subject: string, hash: string): void {
    let set = this.tokensOf.get(subject);
    if (!set) this.tokensOf.set(subject, (set = new Set()));
    set.add(hash);
  }
}
