import {RefusalError} from '../../core/index.js';
import type {RunRecord} from './api.js';

/**
 * The run an id, a unique id prefix, or a name (the newest run of that name: `--name`, the node id
 * or the task's first words) names; an unknown or ambiguous one is refused with candidates.
 */
export const pickRun = (runs: Array<RunRecord>, ref: string): RunRecord => {
  const exact = runs.find((r) => r.runId === ref);
  if (exact) return exact;
  const byPrefix = runs.filter((r) => r.runId.startsWith(ref));
  // `runs` is newest first: a name picks its latest run.
  const byName = runs.find((r) => r.name === ref);
  if (byPrefix.length === 0 && byName) return byName;
  if (byPrefix.length === 1) return byPrefix[0] as RunRecord;
  if (byPrefix.length === 0)
    throw new RefusalError(`no run '${ref}'`, {
      code: 'E_RUN_UNKNOWN',
      hint: 'give a run id (or its first characters) or a run name; list runs with `spor runs`',
    });
  throw new RefusalError(`run prefix '${ref}' matches ${byPrefix.length} runs`, {
    code: 'E_RUN_AMBIGUOUS',
    hint: `give more of the id: ${byPrefix
      .slice(0, 5)
      .map((r) => r.runId)
      .join(', ')}`,
  });
};
