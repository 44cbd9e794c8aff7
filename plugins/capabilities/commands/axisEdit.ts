import type {Host, EventDraft} from '../../../core/index.js';
import type {Axis} from '../axes.js';
import type {CapabilitiesState} from '../projection.js';

/** An axis's declarations before and after an edit, and whether anything was written. */
export interface AxisEdit {
  before: Array<string>;
  after: Array<string>;
  written: boolean;
  probed: Set<string>;
}

/** Decides an edit of one axis under the log lock and reports what it changed. */
export const editAxis = async (
  host: Host,
  axis: Axis,
  decide: (s: CapabilitiesState) => ReadonlyArray<EventDraft>,
): Promise<AxisEdit> => {
  let before: Array<string> = [];
  let probed = new Set<string>();
  let after: Array<string> = [];
  const events = await host.handle(['capabilities'], ({capabilities}) => {
    before = capabilities.declared[axis];
    probed = new Set((capabilities.probe?.results ?? []).flatMap((r) => (r.ok ? (r.finding?.[axis] ?? []) : [])));
    const drafts = decide(capabilities);
    const last = drafts.at(-1)?.data as {values?: Array<string>} | undefined;
    after = last?.values ?? before;
    return drafts;
  });
  return {before, after, written: events.length > 0, probed};
};

export const listed = (values: ReadonlyArray<string>): string => (values.length === 0 ? '(none)' : values.join(', '));
