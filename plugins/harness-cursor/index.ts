import {definePlugin} from '../../core/index.js';
import {binaryProber, binarySetting} from '../capabilities/api.js';

export default definePlugin({
  name: 'harness-cursor',
  version: '0.1.0',
  settings: [binarySetting('cursor', 'cursor-agent')],
  probers: [
    binaryProber({name: 'cursor', harness: 'cursor', binary: 'cursor-agent', settingKey: 'harness.cursor.binary'}),
  ],
});
