import {resolve, definePlugin} from '../../core/index.js';
import {PluginsAddCommand} from './commands/add.js';
import {PluginsListCommand} from './commands/list.js';
import {PluginsRmCommand} from './commands/rm.js';
import {pluginEvents} from './events.js';
import {pluginsProjection} from './projection.js';
import {USER_PLUGINS_FILE} from './api.js';
import {UserPluginsFileWriter} from './userPluginsFile.js';

export default definePlugin({
  name: 'plugins',
  version: '0.1.0',
  commands: [PluginsListCommand, PluginsAddCommand, PluginsRmCommand],
  events: pluginEvents,
  projections: [pluginsProjection],
  reactions: [
    {
      name: 'rewrite spor.plugins.json',
      on: ['plugin-added', 'plugin-removed'],
      run: (_event, ctx) => resolve(ctx.container, USER_PLUGINS_FILE).rewrite(),
    },
  ],
  services: (r) => r.singleton(USER_PLUGINS_FILE, UserPluginsFileWriter),
});
