import {parseDuration, resolve, type Container, HOST, PLUGIN_REGISTRY, SETTINGS, ENV} from '../../core/index.js';
import {effectiveView} from './effective.js';
import type {ProbeResult} from './events.js';
import {runProbers} from './probeRunner.js';
import {findProfile} from './profiles.js';
import {satisfies} from './satisfies.js';
import {PROBERS, type CapabilitiesService} from './api.js';

export const PROBE_TIMEOUT_KEY = 'capabilities.probeTimeout';
const DEFAULT_DEADLINE_MS = 5000;

/** The CAPABILITIES service; services are resolved when used, so wiring it costs nothing. */
export class Capabilities implements CapabilitiesService {
  constructor(private readonly c: Container) {}

  async probe(opts: {record?: boolean} = {}): Promise<Array<ProbeResult>> {
    const registry = resolve(this.c, PLUGIN_REGISTRY);
    const settings = resolve(this.c, SETTINGS);
    const deadlineMs = parseDuration(String((await settings.get(PROBE_TIMEOUT_KEY)).value)) ?? DEFAULT_DEADLINE_MS;
    const probers = PROBERS.items(registry);
    // Probers run outside the log lock: they may take seconds, and nothing they do is a decision.
    const results = await runProbers(probers, {
      env: resolve(this.c, ENV),
      setting: async (key) => (await settings.get(key)).value,
      deadlineMs,
    });
    if (opts.record !== false) await resolve(this.c, HOST).append([{type: 'probe-ran', data: {results}}]);
    return results;
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
    const binarySetting = (harness: string): string | undefined => {
      const key = `harness.${harness}.binary`;
      return registry.settings.has(key) ? key : undefined;
    };
    return satisfies(await this.effective(opts), profile, {binarySetting});
  }
}
