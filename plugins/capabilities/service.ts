import {
  parseDuration,
  resolve,
  type Container,
  type SettingsView,
  HOST,
  PLUGIN_REGISTRY,
  SETTINGS,
  ENV,
} from '../../core/index.js';
import {effectiveView} from './effective.js';
import type {ProbeResult} from './events.js';
import {runProbers} from './probeRunner.js';
import {findProfile} from './profiles.js';
import {satisfies, type ProfileNeeds} from './satisfies.js';
import {PROBERS, type Assessment, type CapabilitiesReads, type CapabilitiesService} from './api.js';

export const PROBE_TIMEOUT_KEY = 'capabilities.probeTimeout';
const DEFAULT_DEADLINE_MS = 5000;

/** The CAPABILITIES service; services are resolved when used, so wiring it costs nothing. */
export class Capabilities implements CapabilitiesService {
  constructor(private readonly c: Container) {}

  async probe(opts: {record?: boolean} = {}): Promise<Array<ProbeResult>> {
    const results = await this.runAll(await resolve(this.c, SETTINGS).view());
    if (opts.record !== false) await this.record(results);
    return results;
  }

  async record(results: Array<ProbeResult>): Promise<void> {
    await resolve(this.c, HOST).append([{type: 'probe-ran', data: {results}}]);
  }

  async findings({settings, state}: CapabilitiesReads) {
    const probe = state.capabilities.probe;
    if (probe !== null) return {results: probe.results};
    const probed = await this.runAll(settings);
    return {results: probed, probed};
  }

  async assess(profile: ProfileNeeds, {settings, state}: CapabilitiesReads): Promise<Assessment> {
    const {capabilities} = state;
    const probed = capabilities.probe === null ? await this.runAll(settings) : undefined;
    const effective = effectiveView(
      probed ? {...capabilities, probe: {at: new Date().toISOString(), event: '', results: probed}} : capabilities,
    ).capabilities;
    const verdict = satisfies(effective, profile, {binarySetting: this.binarySettingOf()});
    return probed ? {...verdict, probed} : verdict;
  }

  // Probers run outside the log lock: they may take seconds, and nothing they do is a decision.
  private runAll(settings: SettingsView): Promise<Array<ProbeResult>> {
    const deadlineMs = parseDuration(String(settings.get(PROBE_TIMEOUT_KEY).value)) ?? DEFAULT_DEADLINE_MS;
    return runProbers(PROBERS.items(resolve(this.c, PLUGIN_REGISTRY)), {
      env: resolve(this.c, ENV),
      setting: async (key) => settings.get(key).value,
      deadlineMs,
    });
  }

  private binarySettingOf(): (harness: string) => string | undefined {
    const registry = resolve(this.c, PLUGIN_REGISTRY);
    return (harness) => {
      const key = `harness.${harness}.binary`;
      return registry.settings.has(key) ? key : undefined;
    };
  }

  async view(
    opts: {record?: boolean} = {},
  ): Promise<{view: ReturnType<typeof effectiveView>; probed?: Array<ProbeResult>}> {
    const host = resolve(this.c, HOST);
    let {capabilities} = await host.read(['capabilities']);
    if (capabilities.probe !== null) return {view: effectiveView(capabilities)};
    const probed = await this.probe(opts);
    if (opts.record === false)
      return {
        view: effectiveView({...capabilities, probe: {at: new Date().toISOString(), event: '', results: probed}}),
        probed,
      };
    ({capabilities} = await host.read(['capabilities']));
    return {view: effectiveView(capabilities), probed};
  }

  async effective(opts: {record?: boolean} = {}) {
    return (await this.view(opts)).view.capabilities;
  }

  async check(profileId: string, opts: {record?: boolean} = {}) {
    const registry = resolve(this.c, PLUGIN_REGISTRY);
    const profile = await findProfile(this.c, registry, profileId);
    return satisfies(await this.effective(opts), profile, {binarySetting: this.binarySettingOf()});
  }
}
