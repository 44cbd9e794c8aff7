import {definePlugin} from '../../core/index.js';
import {binaryProber, binarySetting, PROBERS} from '../capabilities/api.js';

export default definePlugin({
  name: 'harness-cursor',
  version: '0.1.0',
  settings: [binarySetting('cursor', 'cursor-agent')],
  contributes: {
    [PROBERS.name]: [
      binaryProber({name: 'cursor', harness: 'cursor', binary: 'cursor-agent', settingKey: 'harness.cursor.binary'}),
    ],
  },
});
