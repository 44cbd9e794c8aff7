// clipanion compiles its parser on every run, and the last step, simplifyMachine, folds each
// node's shortcut targets into the node, skipping a transition the node already has by scanning
// every transition it has. `spor dispatch` (24 options) has 94 nodes whose dynamic transitions grow
// from 205 to about 1,900 there: 4-8 ms of a dispatch's start-up, in a process too short for the
// JIT to help. This is the same folding, in the same order, with the "already has it" checks
// done by Set lookups; the build puts it in place of clipanion's (build.mjs, clipanionSimplify),
// and test/unit/core/clipanionSimplify.test.ts holds the two to the same result.

/**
 * Folds, depth first from `initial`, every node's shortcut closure into its statics and
 * dynamics. A static transition is skipped when the node already has one on that segment to the
 * same node; a dynamic one when it has one with the same test (by identity) to the same node.
 * Self-contained, as its source is what the build puts into clipanion's module.
 */
export function foldShortcuts(input, initial) {
  const visited = new Set();
  const fold = (node) => {
    if (visited.has(node)) return;
    visited.add(node);
    const def = input.nodes[node];
    for (const transitions of Object.values(def.statics)) for (const {to} of transitions) fold(to);
    for (const [, {to}] of def.dynamics) fold(to);
    for (const {to} of def.shortcuts) fold(to);
    const staticTargets = new Map();
    const staticsOn = (segment) => {
      if (!Object.prototype.hasOwnProperty.call(def.statics, segment)) def.statics[segment] = [];
      let targets = staticTargets.get(segment);
      if (targets === undefined) {
        targets = new Set(def.statics[segment].map(({to}) => to));
        staticTargets.set(segment, targets);
      }
      return {store: def.statics[segment], targets};
    };
    const dynamicTargets = new Map();
    const dynamicsOf = (test) => {
      let targets = dynamicTargets.get(test);
      if (targets === undefined) dynamicTargets.set(test, (targets = new Set()));
      return targets;
    };
    for (const [test, {to}] of def.dynamics) dynamicsOf(test).add(to);
    const shortcuts = new Set(def.shortcuts.map(({to}) => to));
    while (def.shortcuts.length > 0) {
      const target = input.nodes[def.shortcuts.shift().to];
      for (const [segment, transitions] of Object.entries(target.statics)) {
        const {store, targets} = staticsOn(segment);
        for (const transition of transitions) {
          if (targets.has(transition.to)) continue;
          store.push(transition);
          targets.add(transition.to);
        }
      }
      for (const [test, transition] of target.dynamics) {
        const targets = dynamicsOf(test);
        if (targets.has(transition.to)) continue;
        def.dynamics.push([test, transition]);
        targets.add(transition.to);
      }
      for (const transition of target.shortcuts) {
        if (shortcuts.has(transition.to)) continue;
        def.shortcuts.push(transition);
        shortcuts.add(transition.to);
      }
    }
  };
  fold(initial);
}
