import type {EventDraft, SporEvent, Projection} from '../../core/index.js';
import type {SetupApproved, WorktreeEvent} from './events.js';

/** Worktree setup commands this machine approved, by repository (main checkout path). */
export interface SetupApprovalsState {
  byRepo: Record<string, Array<{argv: Array<string>; sha256: string}>>;
}

declare module '../../core/plugin.js' {
  interface SporStateMap {
    setupApprovals: SetupApprovalsState;
  }
}

// Approvals are only ever added: a repository that goes back to a command approved before needs no
// second approval, and nothing here is secret.
export const setupApprovalsProjection: Projection<SetupApprovalsState> = {
  name: 'setupApprovals',
  version: 1,
  on: ['setup-approved'],
  initial: () => ({byRepo: {}}),
  apply: (state, event: SporEvent) => {
    const e = event as WorktreeEvent;
    if (e.type !== 'setup-approved') return state;
    const known = state.byRepo[e.data.repo] ?? [];
    if (!known.some((a) => a.sha256 === e.data.sha256))
      state.byRepo[e.data.repo] = [...known, {argv: [...e.data.argv], sha256: e.data.sha256}];
    return state;
  },
};

/** True when `repo` has an approval for this fingerprint. */
export const isSetupApproved = (input: {repo: string; sha256: string}, s: SetupApprovalsState): boolean =>
  (s.byRepo[input.repo] ?? []).some((a) => a.sha256 === input.sha256);

/** Approves a setup command for a repository; approving the same fingerprint again writes nothing. */
export const approveSetup = (input: SetupApproved['data'], s: SetupApprovalsState): Array<EventDraft<SetupApproved>> =>
  isSetupApproved(input, s)
    ? []
    : [{type: 'setup-approved', data: {repo: input.repo, argv: [...input.argv], sha256: input.sha256}}];
