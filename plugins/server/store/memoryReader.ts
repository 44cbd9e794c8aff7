import type {TeamReader} from './contract.js';
import type {CapabilitiesRecord, Credential, LeaseRecord, NodeRecord, TokenRecord} from './records.js';
import type {TeamState} from './state.js';

/** The reads of the contract over projections held in memory. Records are shared: never mutate them. */
export class MemoryReader implements TeamReader {
  constructor(protected readonly state: () => TeamState) {}

  async node(id: string): Promise<NodeRecord | undefined> {
    return this.state().nodes.get(id);
  }

  async nodes(type?: string): Promise<Array<NodeRecord>> {
    const all = [...this.state().nodes.values()];
    return type === undefined ? all : all.filter((r) => r.node.type === type);
  }

  async inbound(id: string): Promise<Array<NodeRecord>> {
    const s = this.state();
    return [...(s.inbound.get(id) ?? [])].map((from) => s.nodes.get(from) as NodeRecord);
  }

  async graphKey(): Promise<string | undefined> {
    return String(this.state().graphGeneration);
  }

  async token(hash: string): Promise<TokenRecord | undefined> {
    return this.state().tokens.get(hash);
  }

  async tokens(filter: {person?: string; agent?: string; prefix?: string}): Promise<Array<TokenRecord>> {
    const s = this.state();
    const subject = filter.person ?? filter.agent;
    const candidates =
      subject === undefined
        ? [...s.tokens.values()]
        : [...(s.tokensOf.get(subject) ?? [])].map((h) => s.tokens.get(h) as TokenRecord);
    return candidates.filter(
      (t) =>
        (filter.person === undefined || t.person === filter.person) &&
        (filter.agent === undefined || t.agent === filter.agent) &&
        (filter.prefix === undefined || t.hash.startsWith(filter.prefix)),
    );
  }

  async credential(hash: string): Promise<Credential | undefined> {
    return this.state().credential(hash);
  }

  async lease(node: string): Promise<LeaseRecord | undefined> {
    return this.state().leases.get(node);
  }

  async capabilities(agent: string): Promise<CapabilitiesRecord | undefined> {
    return this.state().caps.get(agent);
  }

  async fleet(owner?: string): Promise<Array<CapabilitiesRecord & {owner?: string}>> {
    const s = this.state();
    const out: Array<CapabilitiesRecord & {owner?: string}> = [];
    if (owner !== undefined) {
      // One person's machines through the owner index, in agent order (as PostgreSQL answers).
      for (const agent of [...(s.agentsOf.get(owner) ?? [])].sort()) {
        const caps = s.caps.get(agent);
        if (caps) out.push({...caps, owner});
      }
      return out;
    }
    for (const caps of s.caps.values()) {
      const agentOwner = s.nodes.get(caps.agent)?.owner;
      out.push(agentOwner === undefined ? caps : {...caps, owner: agentOwner});
    }
    return out;
  }

  async head(): Promise<number> {
    return this.state().events;
  }
}
