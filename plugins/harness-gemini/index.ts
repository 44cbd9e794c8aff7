import {definePlugin} from '../../core/index.js';
import {binaryProber, binarySetting, PROBERS} from '../capabilities/api.js';

export default definePlugin({
  name: 'harness-gemini',
  version: '0.1.0',
  settings: [binarySetting('gemini', 'gemini')],
  contributes: {
    [PROBERS.name]: [
      binaryProber({name: 'gemini', harness: 'gemini', binary: 'gemini', settingKey: 'harness.gemini.binary'}),
    ],
  },
});
