import {definePlugin} from '../../core/plugin.js';
import {binaryProber, binarySetting} from '../capabilities/tokens.js';

// Launch adapters (`harnesses`) join the prober here when dispatch lands.
export default definePlugin({
  name: 'harness-codex',
  version: '0.1.0',
  settings: [binarySetting('codex', 'codex')],
  probers: [binaryProber({name: 'codex', harness: 'codex', binary: 'codex', settingKey: 'harness.codex.binary'})],
});
