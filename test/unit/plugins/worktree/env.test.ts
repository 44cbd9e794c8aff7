import {describe, expect, it} from 'vitest';
import {cleanEnv, GIT_LOCATION_VARS, setupEnv} from '../../../../plugins/worktree/env.js';

const userEnv = {
  PATH: '/usr/bin',
  HOME: '/home/ada',
  NPM_TOKEN: 'npm-token-kept',
  EDITOR: 'vi',
  GIT_DIR: '/elsewhere/.git',
  GIT_WORK_TREE: '/elsewhere',
  GIT_INDEX_FILE: '/elsewhere/.git/index',
  GIT_COMMON_DIR: '/x',
  GIT_OBJECT_DIRECTORY: '/x/objects',
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'core.hooksPath',
  GIT_CONFIG_VALUE_0: '/evil',
  GIT_AUTHOR_NAME: 'Ada',
  SPOR_SERVER_TOKEN: 'spor-secret',
  SPOR_TOKEN: 'spor-secret-2',
  SPOR_HOME: '/home/ada/.spor',
  SPOR_WORKTREE: '/stale',
  UNSET: undefined,
};

describe("git's environment (cleanEnv)", () => {
  it("is the user's environment minus git location variables and spor's secrets", () => {
    const env = cleanEnv(userEnv);
    for (const name of [
      ...GIT_LOCATION_VARS,
      'GIT_CONFIG_KEY_0',
      'GIT_CONFIG_VALUE_0',
      'SPOR_SERVER_TOKEN',
      'SPOR_TOKEN',
      'UNSET',
    ])
      expect(env).not.toHaveProperty(name);
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/ada',
      NPM_TOKEN: 'npm-token-kept',
      EDITOR: 'vi',
      GIT_AUTHOR_NAME: 'Ada',
      SPOR_HOME: '/home/ada/.spor',
      SPOR_WORKTREE: '/stale',
    });
  });
});

describe("the setup command's environment", () => {
  it('is the basics plus the names worktree.setupEnv passes, never other credentials or git location', () => {
    const ctx = {worktree: '/w', mainCheckout: '/r'};
    const env = setupEnv(
      {...userEnv, GITHUB_TOKEN: 'g', AWS_SECRET_ACCESS_KEY: 'a', SSH_AUTH_SOCK: '/s', SPOR_API_KEY: 'k', LANG: 'C'},
      ctx,
    );
    expect(Object.keys(env).sort()).toEqual(
      [
        'HOME',
        'LANG',
        'PATH',
        'SPOR_DISPATCH_NODE',
        'SPOR_DISPATCH_SLUG',
        'SPOR_MAIN_CHECKOUT',
        'SPOR_WORKTREE',
      ].sort(),
    );
    expect(setupEnv({...userEnv, SPOR_API_KEY: 'k'}, ctx, ['NPM_TOKEN', 'GIT_*', 'SPOR_*'])).toMatchObject({
      NPM_TOKEN: 'npm-token-kept',
      GIT_AUTHOR_NAME: 'Ada',
      SPOR_HOME: '/home/ada/.spor',
    });
    const passed = setupEnv({...userEnv, SPOR_API_KEY: 'k'}, ctx, ['GIT_*', 'SPOR_*']);
    for (const never of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_CONFIG_KEY_0', 'SPOR_API_KEY', 'SPOR_TOKEN'])
      expect(passed).not.toHaveProperty(never);
  });

  it('adds the four SPOR_ variables, empty for a run with no slug or node, over any inherited ones', () => {
    expect(
      setupEnv(userEnv, {worktree: '/r/.claude/worktrees/x', mainCheckout: '/r', slug: 'web', nodeId: 'task-x'}),
    ).toMatchObject({
      SPOR_WORKTREE: '/r/.claude/worktrees/x',
      SPOR_MAIN_CHECKOUT: '/r',
      SPOR_DISPATCH_SLUG: 'web',
      SPOR_DISPATCH_NODE: 'task-x',
    });
    expect(setupEnv({}, {worktree: '/w', mainCheckout: '/r'})).toEqual({
      SPOR_WORKTREE: '/w',
      SPOR_MAIN_CHECKOUT: '/r',
      SPOR_DISPATCH_SLUG: '',
      SPOR_DISPATCH_NODE: '',
    });
  });
});
