import {resolve, definePlugin, MACHINE_SETTINGS, HOST} from '../../core/index.js';
import {ConfigGetCommand} from './commands/get.js';
import {ConfigListCommand} from './commands/list.js';
import {ConfigSetCommand} from './commands/set.js';
import {ConfigUnsetCommand} from './commands/unset.js';
import {settingsEvents} from './events.js';
import {settingsProjection} from './projection.js';

export default definePlugin({
  name: 'settings',
  version: '0.1.0',
  commands: [ConfigGetCommand, ConfigSetCommand, ConfigUnsetCommand, ConfigListCommand],
  events: settingsEvents,
  projections: [settingsProjection],
  services: (r) => {
    r.factory(MACHINE_SETTINGS, (c) => ({
      values: async () => (await resolve(c, HOST).read(['settings'])).settings.values,
    }));
  },
});
