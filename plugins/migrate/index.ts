import {definePlugin} from '../../core/index.js';
import {HOME_IMPORTER} from '../graph/api.js';
import {migrateEvents} from './events.js';
import {homeImportsProjection} from './projection.js';
import {HomeImportService} from './service.js';

export default definePlugin({
  name: 'migrate',
  version: '0.1.0',
  events: migrateEvents,
  projections: [homeImportsProjection],
  services: (r) => r.singleton(HOME_IMPORTER, HomeImportService),
});
