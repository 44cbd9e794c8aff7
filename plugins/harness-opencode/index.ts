import {definePlugin} from '../../core/index.js';
import {binaryProber, binarySetting, PROBERS} from '../capabilities/api.js';

export default definePlugin({
  name: 'harness-opencode',
  version: '0.1.0',
  settings: [binarySetting('opencode', 'opencode')],
  contributes: {
    [PROBERS.name]: [
      binaryProber({name: 'opencode', harness: 'opencode', binary: 'opencode', settingKey: 'harness.opencode.binary'}),
    ],
  },
});
