import {AXES, type Axis} from './axes.js';
import {effectiveCapabilities, type Capabilities} from './effective.js';
import type {CapabilitiesState} from './projection.js';

type Axes = Partial<Record<Axis, ReadonlyArray<string>>>;

/**
 * A capability map as a machine publishes it to a team server: the flat axes (`{harnesses, …,
 * deny}`), the raw `{probed, declared, deny}` form, or both. Flat axes count as declared.
 */
export type PublishedCapabilities = Axes & {probed?: Axes; declared?: Axes; deny?: ReadonlyArray<string>};

/**
 * Collapses a published map with the very fold this machine uses for its own map (probed ∪
 * declared per axis, the deny list apart), so a server and a client always agree on what a
 * machine can run.
 */
export const effectiveOfPublished = (map: PublishedCapabilities): Capabilities => {
  const declared = Object.fromEntries(
    AXES.map((axis) => [axis, [...(map.declared?.[axis] ?? []), ...(map[axis] ?? [])]]),
  ) as Record<Axis, Array<string>>;
  const state: CapabilitiesState = {
    declared,
    deny: [...(map.deny ?? [])],
    probe: map.probed
      ? {
          at: '',
          event: '',
          results: [
            {
              prober: 'published',
              ok: true,
              finding: Object.fromEntries(AXES.map((axis) => [axis, [...(map.probed?.[axis] ?? [])]])),
              duration_ms: 0,
            },
          ],
        }
      : null,
  };
  return effectiveCapabilities(state);
};
