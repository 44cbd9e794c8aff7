import {definePlugin} from '../../core/index.js';
import {RUN_COMPANIONS} from '../runs/api.js';
import {ClaimCommand} from './commands/claim.js';
import {ExtendCommand} from './commands/extend.js';
import {LoginCommand} from './commands/login.js';
import {LogoutCommand} from './commands/logout.js';
import {ReleaseCommand} from './commands/release.js';
import {RenewCommand} from './commands/renew.js';
import {leaseCompanion} from './leaseCompanion.js';
import {RemoteService} from './service.js';
import {REMOTE, TIMEOUT_KEY} from './api.js';

export default definePlugin({
  name: 'remote',
  version: '0.1.0',
  commands: [LoginCommand, LogoutCommand, ClaimCommand, RenewCommand, ExtendCommand, ReleaseCommand],
  settings: [
    {
      key: TIMEOUT_KEY,
      type: 'duration',
      default: '10s',
      description: 'how long one request to the team server may take before spor gives up on it',
    },
  ],
  contributes: {[RUN_COMPANIONS.name]: [leaseCompanion]},
  services: (r) => r.singleton(REMOTE, RemoteService),
});
