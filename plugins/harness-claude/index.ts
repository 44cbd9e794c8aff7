import {definePlugin} from '../../core/index.js';
import {claudeAdapter} from './adapter.js';
import {binaryProber, binarySetting, launchSettings, PROBERS} from '../capabilities/api.js';
import {HARNESSES} from '../runs/api.js';
import {claudeConfigProber} from './configProber.js';

export default definePlugin({
  name: 'harness-claude',
  version: '0.1.0',
  settings: [binarySetting('claude-code', 'claude'), ...launchSettings('claude-code')],
  contributes: {
    [PROBERS.name]: [
      binaryProber({
        name: 'claude-code',
        harness: 'claude-code',
        binary: 'claude',
        settingKey: 'harness.claude-code.binary',
        helpArgs: claudeAdapter.helpArgs,
      }),
      claudeConfigProber,
    ],
    [HARNESSES.name]: [claudeAdapter],
  },
});
