/** The command groups `spor capabilities` answers to: it and its aliases. */
export const GROUPS = ['capabilities', 'caps', 'profiles'] as const;

/** A subcommand's paths under every group: `under('probe')` → capabilities probe, caps probe, profiles probe. */
export const under = (...words: Array<string>): Array<Array<string>> => GROUPS.map((g) => [g, ...words]);
