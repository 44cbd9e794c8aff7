// The capabilities plugin's public surface: the only file other plugins may import.
import {
  point,
  token,
  type EventDraft,
  type SettingDefinition,
  type SettingsView,
  type SporStateMap,
} from '../../core/index.js';
import type {Capabilities, EffectiveView} from './effective.js';
import type {ProbeResult} from './events.js';
import type {Prober} from './prober.js';
import type {ProfileNeeds, Satisfaction} from './satisfies.js';

export type {Capabilities, CapabilityItem, EffectiveView} from './effective.js';
export type {ProbeResult} from './events.js';
export type {ProfileNeeds, Satisfaction, SatisfiesOptions} from './satisfies.js';
export {AXES, type Axis} from './axes.js';
export {satisfies} from './satisfies.js';
export type {ProbeContext, ProbeFinding, Prober} from './prober.js';
export {isCapabilityValue} from './axes.js';
export {effectiveOfPublished, type PublishedCapabilities} from './published.js';
export {
  binaryProber,
  findExecutable,
  isExecutableFile,
  flagsFrom,
  readHelpFlags,
  readVersion,
  versionFrom,
  type BinaryProberOptions,
  type VersionOutcome,
} from './binaryProber.js';

/**
 * The extension point this plugin owns: capability probes (`contributes: {probers: [...]}`), run
 * by `spor capabilities probe`. `binaryProber` makes one for an agent CLI found on PATH.
 */
export const PROBERS = point<Prober>('probers');

/**
 * The setting a harness plugin declares so a user can point the harness at another binary
 * (`spor config set harness.codex.binary /opt/codex/bin/codex`). A string, default '' (= look on
 * PATH), and never taken from a repository's `.spor.json`: it names a program to run.
 */
export const binarySetting = (harness: string, binary: string): SettingDefinition => ({
  key: `harness.${harness}.binary`,
  type: 'string',
  default: '',
  description: `the ${harness} binary to use: an absolute path or a command name (empty: \`${binary}\` on PATH)`,
});

/**
 * The two settings a harness plugin declares so a user can shape its launch: `harness.<name>.env`,
 * a JSON object of variables added to the harness's environment (a gateway's base URL and key,
 * `CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1`, a custom provider's key), and `harness.<name>.args`,
 * a JSON array of extra arguments, each one argv element. Never from a repository's `.spor.json`:
 * they decide where the agent sends its work and what it may do.
 */
export const launchSettings = (harness: string): Array<SettingDefinition> => [
  {
    key: `harness.${harness}.env`,
    type: 'string',
    default: '',
    description: `variables added to the ${harness} environment, as a JSON object (e.g. '{"ANTHROPIC_BASE_URL":"http://127.0.0.1:4000"}'); empty: none`,
  },
  {
    key: `harness.${harness}.args`,
    type: 'string',
    default: '',
    description: `extra ${harness} arguments, as a JSON array of strings, each one argument (e.g. '["--disable","plugins"]'); empty: none`,
  },
];

/** `{record: false}`: probe if there is no probe on record, but record nothing (`dispatch --print`). */
export interface ReadOnly {
  record?: boolean;
}

/** The slices `assess` reads: a caller reading its own state reads these with it and passes them in. */
export const CAPABILITIES_READS = ['capabilities'] as const;

/** What `assess` reads, as the caller read it (one settings view, one read of the slices). */
export interface CapabilitiesReads {
  settings: SettingsView;
  state: Pick<SporStateMap, (typeof CAPABILITIES_READS)[number]>;
}

/** A verdict on a profile, and the probe it took to reach it when none was on record (not recorded yet). */
export interface Assessment extends Satisfaction {
  probed?: Array<ProbeResult>;
}

/** This machine's capabilities, as dispatch asks for them. */
export interface CapabilitiesService {
  /**
   * `satisfies(effective, profile)` from what the caller read. Writes nothing: when no probe is on
   * record it probes now and returns the results in `probed`, for the caller to `record` once it
   * goes ahead (a plan records nothing).
   */
  assess(profile: ProfileNeeds, given: CapabilitiesReads): Promise<Assessment>;
  /**
   * The probe results on record in what the caller read, or, when there are none, a probe made now
   * (in `probed`, for the caller to record with `probeRan` once it goes ahead). Writes nothing.
   */
  findings(given: CapabilitiesReads): Promise<{results: Array<ProbeResult>; probed?: Array<ProbeResult>}>;
  /** Records the results of a probe `assess` made (`probe-ran`). */
  record(results: Array<ProbeResult>): Promise<void>;
  /**
   * The effective map (probed ∪ declared per axis, and the deny list). When no probe is on
   * record yet, probes first and records it (`probe-ran`).
   */
  effective(opts?: ReadOnly): Promise<Capabilities>;
  /** `satisfies(effective(), profile)`; an unknown profile id is a RefusalError naming `spor profile create`. */
  check(profileId: string, opts?: ReadOnly): Promise<Satisfaction>;
  /** The effective map with sources; `probed` holds the results when it had to probe first. */
  view(opts?: ReadOnly): Promise<{view: EffectiveView; probed?: Array<ProbeResult>}>;
  /** Runs every registered prober now (in parallel, each with its deadline) and records one `probe-ran`. */
  probe(opts?: ReadOnly): Promise<Array<ProbeResult>>;
}

/** The `probe-ran` draft for results a caller got from `assess`/`findings`, to append in its own batch. */
export const probeRan = (results: Array<ProbeResult>): EventDraft => ({type: 'probe-ran', data: {results}});

/** The facts a probe recorded for one harness (`{path, version, flags, …}`), if it found that harness. */
export const harnessFacts = (
  results: ReadonlyArray<ProbeResult>,
  harness: string,
): Record<string, string> | undefined =>
  results.find((r) => r.finding?.facts?.[harness] !== undefined)?.finding?.facts?.[harness];

/** Provided by the `capabilities` plugin. */
export const CAPABILITIES = token<CapabilitiesService>('spor.capabilities.Capabilities');

/** This machine on the team server's fleet (remote mode): publish, read back, staleness, hosts. */
export {publishCapabilities, readPublished, staleness, hostsFor, hostLines} from './remote.js';
/** Pure draft helpers (declare more on an axis, deny profiles), for a flow with a batch of its own. */
export {addToAxis, denyProfiles} from './decide.js';
export {isAxis} from './axes.js';
export type {CapabilitiesState} from './projection.js';
