import {resolve, type Container, RefusalError, type PluginRegistry, HOST} from '../../core/index.js';
import {GRAPH_READER, viewOfSlice, type GraphNode} from '../graph/api.js';
import type {ProfileNeeds} from './satisfies.js';

const createHint = (id: string): string => `create it with \`spor profile create ${id} --harness <harness>\``;

// The graph plugin's reader when it is registered; its slice otherwise (same data, no indexes).
const lookup = async (c: Container, registry: PluginRegistry, id: string): Promise<GraphNode | undefined> => {
  if (c.isRegistered(GRAPH_READER, true)) return (await resolve(c, GRAPH_READER).view()).node(id);
  if (!registry.projections.has('graph')) {
    throw new RefusalError(`cannot look up profile '${id}': the graph plugin is not loaded`, {
      code: 'E_NO_GRAPH',
      hint: 'check `spor plugins list` for a graph plugin that failed to load',
    });
  }
  return viewOfSlice((await resolve(c, HOST).read(['graph'])).graph).node(id);
};

/** The profile node `id`, or a refusal naming `spor profile create`. */
export const findProfile = async (c: Container, registry: PluginRegistry, id: string): Promise<ProfileNeeds> => {
  const node = await lookup(c, registry, id);
  if (!node) throw new RefusalError(`unknown profile '${id}'`, {code: 'E_PROFILE_UNKNOWN', hint: createHint(id)});
  if (node.type !== 'profile') {
    throw new RefusalError(`'${id}' is a ${node.type}, not a profile`, {
      code: 'E_PROFILE_UNKNOWN',
      hint: `check the id, or ${createHint('profile-<name>')}`,
    });
  }
  return node;
};
