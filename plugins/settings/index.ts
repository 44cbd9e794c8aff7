import {definePlugin, MACHINE_SETTINGS} from '../../core/index.js';
import {ConfigGetCommand} from './commands/get.js';
import {ConfigListCommand} from './commands/list.js';
import {ConfigSetCommand} from './commands/set.js';
import {ConfigUnsetCommand} from './commands/unset.js';
import {settingsEvents} from './events.js';
import {MachineSettingsService} from './machine.js';
import {settingsProjection} from './projection.js';
import {RECORDED_SETTINGS} from './api.js';

export default definePlugin({
  name: 'settings',
  version: '0.1.0',
  commands: [ConfigGetCommand, ConfigSetCommand, ConfigUnsetCommand, ConfigListCommand],
  events: settingsEvents,
  projections: [settingsProjection],
  points: {
    [RECORDED_SETTINGS.name]: {
      description: "settings whose machine value a plugin records in its own slice ('spor config set' refuses them)",
      check: (x) =>
        typeof x.slice === 'string' && typeof x.field === 'string' && typeof x.command === 'string'
          ? undefined
          : 'is not a recorded setting {name, slice, field, command}',
    },
  },
  services: (r) => r.singleton(MACHINE_SETTINGS, MachineSettingsService),
});
