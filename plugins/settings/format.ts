import type {ResolvedSetting} from '../../core/index.js';

/** `spor config list --json` / `config get --json` shape. */
export const settingJson = (s: ResolvedSetting) => ({
  key: s.key,
  value: s.value,
  source: s.source,
  ...(s.origin ? {origin: s.origin} : {}),
  type: s.definition.type,
  default: s.definition.default,
  description: s.definition.description,
});

export const sourceLabel = (s: ResolvedSetting): string => (s.origin ? `${s.source} (${s.origin})` : s.source);
