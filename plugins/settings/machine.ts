import {
  inject,
  injectable,
  type Host,
  type MachineSettings,
  type PluginRegistry,
  type SettingValue,
  HOST,
  PLUGIN_REGISTRY,
} from '../../core/index.js';
import {RECORDED_SETTINGS} from './api.js';

/**
 * MACHINE_SETTINGS: the values `spor config set` recorded, and those other plugins record in their
 * own slices (RECORDED_SETTINGS), read in one pass over the slices.
 */
@injectable()
export class MachineSettingsService implements MachineSettings {
  constructor(
    @inject(HOST) private readonly host: Host,
    @inject(PLUGIN_REGISTRY) private readonly registry: PluginRegistry,
  ) {}

  async values(): Promise<Record<string, SettingValue>> {
    const recorded = RECORDED_SETTINGS.entries(this.registry).map((e) => e.data);
    const slices = [...new Set(recorded.map((r) => String(r.slice)))];
    const state = (await this.host.read(['settings', ...slices] as Array<'settings'>)) as unknown as Record<
      string,
      Record<string, unknown>
    > & {settings: {values: Record<string, SettingValue>}};
    if (recorded.length === 0) return state.settings.values;
    const values = {...state.settings.values};
    for (const r of recorded) {
      const v = state[String(r.slice)]?.[String(r.field)];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') values[r.name] = v;
    }
    return values;
  }
}
