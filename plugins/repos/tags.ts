import {type EventDraft, RefusalError, UsageError} from '../../core/index.js';
import {metaIn, updateNode, type GraphSlice} from '../graph/api.js';

const TAG = /^[a-z0-9][a-z0-9._+-]*$/;

/** Lower-cased, trimmed, de-duplicated and sorted; an invalid tag is refused before anything is written. */
export const normalizeTags = (raw: ReadonlyArray<string>): Array<string> => {
  const tags = new Set<string>();
  for (const r of raw) {
    for (const part of r.split(',')) {
      const tag = part.trim().toLowerCase();
      if (tag === '') continue;
      if (!TAG.test(tag) || tag.length > 40) {
        throw new UsageError(`invalid tag '${part.trim()}'`, {
          code: 'E_REPO_TAG',
          hint: 'tags are up to 40 lower-case letters, digits, dots, dashes or pluses, e.g. node, python, k8s',
        });
      }
      tags.add(tag);
    }
  }
  return [...tags].sort();
};

export const repoNodeId = (slug: string): string => `repo-${slug}`;

/** Sets the repo's tags (replacing them); the same set in any order writes nothing. */
export const setTags = (slug: string, tags: Array<string>, graph: GraphSlice): Array<EventDraft> => {
  const id = repoNodeId(slug);
  const node = metaIn(graph, id);
  if (!node)
    throw new RefusalError(`no repo '${slug}'`, {
      code: 'E_REPO_UNKNOWN',
      hint: `map it first: spor repos add ${slug} <path>`,
    });
  if (node.type !== 'repo')
    throw new RefusalError(`'${id}' is a ${node.type}, not a repo node`, {
      code: 'E_REPO_NODE',
      hint: 'retype or rename that node',
    });
  if (JSON.stringify(tagsOf(slug, graph)) === JSON.stringify(tags)) return [];
  return tags.length === 0 ? updateNode(id, graph, {}, ['tags']) : updateNode(id, graph, {tags});
};

export const tagsOf = (slug: string, graph: GraphSlice): Array<string> =>
  [...(metaIn(graph, repoNodeId(slug))?.tags ?? [])].sort();
