import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {branchOf, NAME_MAX, sanitizeName, worktreeName} from '../../../../plugins/worktree/name.js';

describe('worktree names', () => {
  it.each([
    ['task-retry-emails', 'task-retry-emails'],
    ['Fix the flaky LOGIN test!', 'fix-the-flaky-login-test'],
    ['  --Résumé: naïve café--  ', 'resume-naive-cafe'],
    ['a/b\\c..d~e^f:g?h*i[j', 'a-b-c-d-e-f-g-h-i-j'],
    ['line one\nline "two" $(rm -rf /)', 'line-one-line-two-rm-rf'],
  ])('%j → %j', (text, name) => {
    expect(sanitizeName(text)).toBe(name);
  });

  it('cuts long text at a word and ends it with a hash of the whole text', () => {
    const a = sanitizeName('Rewrite the billing reconciliation job so that it retries failed invoices');
    const b = sanitizeName('Rewrite the billing reconciliation job so that it never double charges');
    expect(a).toMatch(/^rewrite-the-billing-reconciliation-job-[0-9a-f]{6}$/);
    expect(a.length).toBeLessThanOrEqual(NAME_MAX);
    expect(b).not.toBe(a);
    expect(sanitizeName('Rewrite the billing reconciliation job so that it retries failed invoices')).toBe(a);
  });

  it('always gives lower-case letters, digits and single inner dashes, at most 48 long', () => {
    fc.assert(
      fc.property(fc.string({unit: 'binary', maxLength: 200}), (text) => {
        const name = sanitizeName(text);
        expect(name.length).toBeLessThanOrEqual(NAME_MAX);
        if (name !== '') expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      }),
    );
  });

  it('refuses text with nothing to name a branch after', () => {
    expect(() => worktreeName('!!! ???')).toThrow(
      expect.objectContaining({
        message: `cannot name a worktree after '!!! ???': it has no letters or digits`,
        exitCode: 2,
      }),
    );
  });

  it('puts every branch under spor/', () => {
    expect(branchOf('fix-login')).toBe('spor/fix-login');
  });
});
