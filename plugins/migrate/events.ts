import * as t from 'typanion';
import {defineEvents, type SporEvent} from '../../core/index.js';

/**
 * `home-imported` (v1): a reference Spor CLI home was brought across (its other events, appended in
 * the same batch, are each owned by their plugin). `config_sha256` identifies the `config.json`
 * as it was (null without one), so `spor doctor` knows whether the file it finds was imported;
 * `pending` keeps what was recorded but not applied (a setup command awaits approval).
 */
export type HomeImported = SporEvent<
  'home-imported',
  1,
  {home: string; config_sha256: string | null; nodes: number; pending: Record<string, string>}
>;

declare module '../../core/events.js' {
  interface SporEventMap {
    'home-imported': HomeImported;
  }
}

export const migrateEvents = defineEvents<HomeImported>({
  'home-imported': {
    v: 1,
    data: t.isObject({
      home: t.isString(),
      config_sha256: t.isNullable(t.isString()),
      nodes: t.isNumber(),
      pending: t.isRecord(t.isString()),
    }),
    summary: (d) =>
      `${d.home}: ${d.config_sha256 ? 'config.json' : 'no config.json'}, ${d.nodes} node files${Object.keys(d.pending).length > 0 ? `; pending approval: ${Object.keys(d.pending).join(', ')}` : ''}`,
  },
});
