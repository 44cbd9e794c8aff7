import {definePlugin} from '../../core/index.js';
import {DoctorCommand} from './commands/doctor.js';
import {LogCommand} from './commands/log.js';

export default definePlugin({
  name: 'log',
  version: '0.1.0',
  commands: [LogCommand, DoctorCommand],
});
