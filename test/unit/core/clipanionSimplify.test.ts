import {Cli} from 'clipanion';
import {makeAnyOfMachine, simplifyMachine as clipanionSimplify} from 'clipanion/lib/core.js';
import {describe, expect, it} from 'vitest';
// @ts-expect-error: the build's own JavaScript module, without types
import {foldShortcuts} from '../../../core/build/clipanionSimplify.mjs';
import {DispatchCommand} from '../../../plugins/dispatch/commands/dispatch.js';
import {ReposListCommand} from '../../../plugins/repos/commands/list.js';

interface Builder {
  builders: Array<{compile: () => {machine: unknown}}>;
}

// The parser clipanion would compile for these commands, before its last step (the one the build
// replaces): the same shared objects (a test array used by several transitions) as in a run.
const unsimplified = (...commands: Array<typeof ReposListCommand | typeof DispatchCommand>): unknown => {
  const cli = new Cli({binaryName: 'spor'});
  for (const command of commands) cli.register(command);
  const {builders} = (cli as unknown as {builder: Builder}).builder;
  return makeAnyOfMachine(builders.map((b) => b.compile().machine) as Parameters<typeof makeAnyOfMachine>[0]);
};

describe("the build's replacement for clipanion's simplifyMachine", () => {
  it('folds the machine of dispatch, repos list and both together exactly as clipanion does', () => {
    for (const machine of [
      unsimplified(DispatchCommand),
      unsimplified(ReposListCommand),
      unsimplified(ReposListCommand, DispatchCommand),
    ]) {
      const theirs = structuredClone(machine) as Parameters<typeof clipanionSimplify>[0];
      const ours = structuredClone(machine);
      clipanionSimplify(theirs);
      foldShortcuts(ours, 0);
      expect(ours).toEqual(theirs);
      // Same transitions in the same order, not merely an equal set of them.
      expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    }
  });

  it('skips what a node already has as clipanion does: a static on the same segment to the same node, a dynamic with the same test to the same node', () => {
    const test = ['isOption', '--x'];
    const node = (n: Partial<{statics: object; dynamics: Array<unknown>; shortcuts: Array<unknown>}>) => ({
      statics: {},
      dynamics: [],
      shortcuts: [],
      ...n,
    });
    const machine = {
      nodes: [
        node({statics: {a: [{to: 3}]}, dynamics: [[test, {to: 3}]], shortcuts: [{to: 1}, {to: 2}]}),
        node({
          statics: {a: [{to: 3}], b: [{to: 4}]},
          dynamics: [
            [test, {to: 3}],
            ['other', {to: 3}],
          ],
          shortcuts: [{to: 2}],
        }),
        node({
          statics: {b: [{to: 4}, {to: 3}]},
          dynamics: [
            [test, {to: 4}],
            ['other', {to: 3}],
          ],
          shortcuts: [{to: 1}],
        }),
        node({}),
        node({}),
      ],
    };
    const theirs = structuredClone(machine) as unknown as Parameters<typeof clipanionSimplify>[0];
    const ours = structuredClone(machine);
    clipanionSimplify(theirs);
    foldShortcuts(ours, 0);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
    expect(ours.nodes[0]?.statics).toEqual({a: [{to: 3}], b: [{to: 4}, {to: 3}]});
  });
});
