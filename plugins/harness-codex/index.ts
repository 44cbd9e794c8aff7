import {definePlugin} from '../../core/index.js';
import {codexAdapter} from './adapter.js';
import {binaryProber, binarySetting} from '../capabilities/api.js';

export default definePlugin({
  name: 'harness-codex',
  version: '0.1.0',
  settings: [binarySetting('codex', 'codex')],
  harnesses: [codexAdapter],
  probers: [binaryProber({name: 'codex', harness: 'codex', binary: 'codex', settingKey: 'harness.codex.binary'})],
});
