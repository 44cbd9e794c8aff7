import {definePlugin} from '../../core/index.js';
import {binaryProber, binarySetting, PROBERS} from '../capabilities/api.js';

export default definePlugin({
  name: 'harness-copilot',
  version: '0.1.0',
  settings: [binarySetting('copilot', 'copilot')],
  contributes: {
    [PROBERS.name]: [
      binaryProber({name: 'copilot', harness: 'copilot', binary: 'copilot', settingKey: 'harness.copilot.binary'}),
    ],
  },
});
