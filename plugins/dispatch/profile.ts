import {RefusalError} from '../../core/index.js';
import type {GraphView, NodeMeta} from '../graph/api.js';

export interface ProfileChoice {
  profile?: NodeMeta;
  source?: 'flag' | 'assigned' | 'agent';
  warnings: Array<string>;
}

const profileNode = (view: GraphView, id: string): NodeMeta | undefined => {
  const n = view.meta(id);
  return n?.type === 'profile' ? n : undefined;
};

/**
 * The profile in force: --profile > the `profile` on the node's `assigned → agent` edge > the
 * agent's `uses-profile` (the assigned agent's, else the one this machine dispatches as). An
 * explicit profile that does not exist is refused; an inferred one that does not is skipped with
 * a warning.
 */
export const chooseProfile = (
  view: GraphView,
  opts: {flag?: string; nodeId?: string; agent?: string},
): ProfileChoice => {
  const warnings: Array<string> = [];
  if (opts.flag !== undefined) {
    const p = profileNode(view, opts.flag);
    if (!p)
      throw new RefusalError(`no profile '${opts.flag}'`, {
        code: 'E_PROFILE_UNKNOWN',
        hint: `create it with \`spor profile create ${opts.flag} --harness <harness>\`, or drop --profile`,
      });
    return {profile: p, source: 'flag', warnings};
  }
  const inferred = (id: string, via: string, source: 'assigned' | 'agent'): ProfileChoice | undefined => {
    const p = profileNode(view, id);
    if (p) return {profile: p, source, warnings};
    warnings.push(`ignoring profile '${id}' from ${via}: there is no such profile node`);
    return undefined;
  };
  const agents =
    opts.nodeId === undefined
      ? []
      : view.outbound(opts.nodeId, 'assigned').filter((e) => view.meta(e.to)?.type === 'agent');
  for (const e of agents) {
    const id = e.attrs?.profile;
    const got = id ? inferred(id, `the assigned edge to ${e.to}`, 'assigned') : undefined;
    if (got) return got;
  }
  for (const agent of [...agents.map((e) => e.to), ...(opts.agent ? [opts.agent] : [])]) {
    for (const e of view.outbound(agent, 'uses-profile')) {
      const got = inferred(e.to, `${agent}'s uses-profile`, 'agent');
      if (got) return got;
    }
  }
  return {warnings};
};
