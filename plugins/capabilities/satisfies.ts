import type {Capabilities} from './effective.js';

/** What a profile needs from a machine (a graph node of type `profile` has these fields). */
export interface ProfileNeeds {
  id: string;
  harness?: string;
  mcp?: ReadonlyArray<string>;
  skills?: ReadonlyArray<string>;
  plugins?: ReadonlyArray<string>;
}

/** The verdict: `reasons` has one line per failing atom (empty when `ok`). */
export interface Satisfaction {
  ok: boolean;
  reasons: Array<string>;
}

/** What the reasons may mention beyond the two inputs. */
export interface SatisfiesOptions {
  /**
   * The setting that points a harness at its binary (`harness.codex.binary`), when a loaded plugin
   * declares one; the harness reason then names it.
   */
  binarySetting?: (harness: string) => string | undefined;
}

/**
 * Does a machine with `capabilities` satisfy `profile`? It must have the profile's harness, every
 * MCP server, skill and plugin the profile lists, and must not deny the profile. Pure: the same
 * inputs always give the same verdict; each failing atom is one reason saying what is missing and
 * how to declare it, in the order deny, harness, MCP servers, skills, plugins.
 */
export const satisfies = (
  capabilities: Capabilities,
  profile: ProfileNeeds,
  opts: SatisfiesOptions = {},
): Satisfaction => {
  const reasons: Array<string> = [];
  if (capabilities.deny.includes(profile.id)) {
    reasons.push(
      `profile '${profile.id}' is denied on this machine — allow it again with \`spor capabilities undeny ${profile.id}\``,
    );
  }
  const harness = profile.harness?.trim();
  if (harness && !capabilities.harnesses.includes(harness)) {
    const setting = opts.binarySetting?.(harness);
    reasons.push(
      setting
        ? `harness '${harness}' is not installed here — install it, or point \`${setting}\` at it with \`spor config set ${setting} <path>\``
        : `harness '${harness}' is not installed here — install it (or a plugin that probes for it), or declare it with \`spor capabilities add harnesses ${harness}\``,
    );
  }
  for (const mcp of profile.mcp ?? []) {
    if (!capabilities.reachable_mcp.includes(mcp))
      reasons.push(
        `MCP server '${mcp}' is not reachable here — declare it with \`spor capabilities allow-mcp ${mcp}\``,
      );
  }
  for (const skill of profile.skills ?? []) {
    if (!capabilities.skills.includes(skill))
      reasons.push(
        `skill '${skill}' is not installed here — install it, or declare it with \`spor capabilities add skills ${skill}\``,
      );
  }
  for (const plugin of profile.plugins ?? []) {
    if (!capabilities.plugins.includes(plugin))
      reasons.push(
        `plugin '${plugin}' is not installed here — install it, or declare it with \`spor capabilities add plugins ${plugin}\``,
      );
  }
  return {ok: reasons.length === 0, reasons};
};
