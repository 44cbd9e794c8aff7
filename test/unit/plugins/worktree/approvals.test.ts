import {describe, expect, it} from 'vitest';
import {approveSetup, isSetupApproved, setupApprovalsProjection} from '../../../../plugins/worktree/approvals.js';
import {given} from '../../../helpers/spec.js';

const approved = (repo: string, sha256: string, argv = ['scripts/setup']) => ({
  type: 'setup-approved' as const,
  data: {repo, argv, sha256},
});

describe('setup approvals (worktree plugin)', () => {
  it('records an approval once; approving the same fingerprint again writes nothing', () => {
    given(setupApprovalsProjection, [])
      .when((s) => approveSetup({repo: '/r', argv: ['scripts/setup'], sha256: 'aa'}, s))
      .then([approved('/r', 'aa')]);
    given(setupApprovalsProjection, [approved('/r', 'aa')])
      .when((s) => approveSetup({repo: '/r', argv: ['scripts/setup'], sha256: 'aa'}, s))
      .then([]);
  });

  it('keeps approvals per repository and fingerprint: another repo or a changed script is not approved', () => {
    const {state} = given(setupApprovalsProjection, [
      approved('/r', 'aa'),
      approved('/r', 'bb'),
      approved('/other', 'cc'),
    ]);
    expect(isSetupApproved({repo: '/r', sha256: 'aa'}, state)).toBe(true);
    expect(isSetupApproved({repo: '/r', sha256: 'bb'}, state)).toBe(true);
    expect(isSetupApproved({repo: '/r', sha256: 'cc'}, state)).toBe(false);
    expect(isSetupApproved({repo: '/elsewhere', sha256: 'aa'}, state)).toBe(false);
    expect(state.byRepo['/r']).toEqual([
      {argv: ['scripts/setup'], sha256: 'aa'},
      {argv: ['scripts/setup'], sha256: 'bb'},
    ]);
  });

  it('ignores other events', () => {
    const {state} = given(setupApprovalsProjection, [
      {type: 'hook-added', data: {id: 'h1', event: '*', path: '/x', args: [], timeout_ms: null}},
    ]);
    expect(state).toEqual({byRepo: {}});
  });
});
