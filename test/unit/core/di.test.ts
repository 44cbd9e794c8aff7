import {describe, expect, it} from 'vitest';
import {boot} from '../../../core/bootstrap.js';
import {builtinPlugins} from '../../../core/builtins.js';
import {createRootContainer, inject, injectable, registrar, resolve, token} from '../../../core/di.js';
import * as coreTokens from '../../../core/tokens.js';
import {CLOCK, PATHS} from '../../../core/tokens.js';
import {Capture} from '../../helpers/inProcess.js';
import {tempHome} from '../../helpers/tempHome.js';

describe('the container', () => {
  it("resolves every token the core and the built-in plugins registered, in a command's child container", async () => {
    const {home, sporHome} = tempHome();
    const stderr = new Capture();
    const {container, registry} = await boot({
      env: {HOME: home, SPOR_HOME: sporHome, PATH: process.env.PATH ?? ''},
      cwd: home,
      stderr,
      builtins: builtinPlugins(),
    });
    expect(registry.failures().map((p) => `${p.name}: ${p.error}`)).toEqual([]);
    expect(stderr.text).toBe('');
    const tokens = [...registry.tokens];
    // Every core token is wired by boot(); plugins add theirs.
    const missing = Object.values(coreTokens)
      .filter((t) => !registry.tokens.has(t))
      .map((t) => t.description);
    expect(missing).toEqual([]);
    expect(tokens.length).toBeGreaterThan(Object.keys(coreTokens).length);
    const child = container.createChildContainer();
    const unresolved: Array<string> = [];
    for (const t of tokens) {
      try {
        if (child.resolve(t) === undefined) unresolved.push(`${t.description}: undefined`);
      } catch (e) {
        unresolved.push(`${t.description}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    expect(unresolved).toEqual([]);
  });

  it('fails to resolve a class whose constructor parameter lacks @inject (what the test above guards)', () => {
    class Forgetful {
      constructor(readonly clock: unknown) {}
    }
    injectable()(Forgetful);
    @injectable()
    class Careful {
      constructor(
        @inject(CLOCK) readonly clock: unknown,
        @inject(PATHS) readonly paths: unknown,
      ) {}
    }
    const c = createRootContainer();
    const r = registrar(c);
    const FORGETFUL = token<Forgetful>('spor.test.Forgetful');
    const CAREFUL = token<Careful>('spor.test.Careful');
    r.value(CLOCK, {now: () => new Date(0)});
    r.value(PATHS, {
      home: '/h',
      log: '/h/l',
      seal: '/h/s',
      snapshots: '/h/n',
      userPlugins: '/h/p',
      pluginPackages: '/h/pp',
    });
    r.singleton(FORGETFUL, Forgetful);
    r.singleton(CAREFUL, Careful);
    expect(() => resolve(c, FORGETFUL)).toThrow();
    expect(resolve(c, CAREFUL).clock).toEqual({now: expect.any(Function)});
  });
});
