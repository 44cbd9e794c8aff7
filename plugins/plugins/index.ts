import {definePlugin} from '../../core/plugin.js';

// Placeholder until the plugin lands.
export default definePlugin({name: 'plugins', version: '0.1.0'});
