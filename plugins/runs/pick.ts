import {RefusalError} from '../../core/errors.js';
import type {RunRecord} from './tokens.js';

/** The run an id or unique prefix names; an unknown or ambiguous one is refused with candidates. */
export const pickRun = (runs: Array<RunRecord>, ref: string): RunRecord => {
  const exact = runs.find((r) => r.runId === ref);
  if (exact) return exact;
  const matches = runs.filter((r) => r.runId.startsWith(ref));
  if (matches.length === 1) return matches[0] as RunRecord;
  if (matches.length === 0) throw new RefusalError(`no run '${ref}'`, {code: 'E_RUN_UNKNOWN', hint: 'list runs with `spor runs`'});
  throw new RefusalError(`run prefix '${ref}' matches ${matches.length} runs`, {code: 'E_RUN_AMBIGUOUS', hint: `give more of the id: ${matches.slice(0, 5).map((r) => r.runId).join(', ')}`});
};
