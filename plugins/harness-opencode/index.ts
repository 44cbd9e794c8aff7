import {definePlugin} from '../../core/plugin.js';
import {binaryProber, binarySetting} from '../capabilities/tokens.js';

export default definePlugin({
  name: 'harness-opencode',
  version: '0.1.0',
  settings: [binarySetting('opencode', 'opencode')],
  probers: [binaryProber({name: 'opencode', harness: 'opencode', binary: 'opencode', settingKey: 'harness.opencode.binary'})],
});
