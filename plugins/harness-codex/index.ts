import {definePlugin} from '../../core/index.js';
import {codexAdapter} from './adapter.js';
import {binaryProber, binarySetting, launchSettings, PROBERS} from '../capabilities/api.js';
import {HARNESSES} from '../runs/api.js';

export default definePlugin({
  name: 'harness-codex',
  version: '0.1.0',
  settings: [binarySetting('codex', 'codex'), ...launchSettings('codex')],
  contributes: {
    [PROBERS.name]: [
      binaryProber({
        name: 'codex',
        harness: 'codex',
        binary: 'codex',
        settingKey: 'harness.codex.binary',
        helpArgs: codexAdapter.helpArgs,
      }),
    ],
    [HARNESSES.name]: [codexAdapter],
  },
});
