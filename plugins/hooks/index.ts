import {definePlugin} from '../../core/plugin.js';

// Placeholder until the plugin lands.
export default definePlugin({name: 'hooks', version: '0.1.0'});
