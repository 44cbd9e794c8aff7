import {definePlugin} from '../../core/index.js';
import {CapabilitiesAddCommand} from './commands/add.js';
import {CapabilitiesAllowMcpCommand} from './commands/allowMcp.js';
import {CapabilitiesDisallowMcpCommand} from './commands/disallowMcp.js';
import {CapabilitiesCheckCommand} from './commands/check.js';
import {CapabilitiesHostsCommand} from './commands/hosts.js';
import {CapabilitiesPublishCommand} from './commands/publish.js';
import {CapabilitiesClearCommand} from './commands/clear.js';
import {CapabilitiesDenyCommand} from './commands/deny.js';
import {CapabilitiesProbeCommand} from './commands/probe.js';
import {CapabilitiesRmCommand} from './commands/rm.js';
import {CapabilitiesSetCommand} from './commands/set.js';
import {CapabilitiesShowCommand} from './commands/show.js';
import {CapabilitiesUndenyCommand} from './commands/undeny.js';
import {capabilitiesEvents} from './events.js';
import {capabilitiesProjection} from './projection.js';
import {Capabilities, PROBE_TIMEOUT_KEY} from './service.js';
import {binaryProber} from './binaryProber.js';
import {proberProblem} from './prober.js';
import {CAPABILITIES, PROBERS} from './api.js';

export default definePlugin({
  name: 'capabilities',
  version: '0.1.0',
  commands: [
    CapabilitiesShowCommand,
    CapabilitiesProbeCommand,
    CapabilitiesSetCommand,
    CapabilitiesAddCommand,
    CapabilitiesRmCommand,
    CapabilitiesAllowMcpCommand,
    CapabilitiesDisallowMcpCommand,
    CapabilitiesDenyCommand,
    CapabilitiesUndenyCommand,
    CapabilitiesClearCommand,
    CapabilitiesCheckCommand,
    CapabilitiesPublishCommand,
    CapabilitiesHostsCommand,
  ],
  events: capabilitiesEvents,
  projections: [capabilitiesProjection],
  settings: [
    {
      key: PROBE_TIMEOUT_KEY,
      type: 'duration',
      default: '5s',
      description: 'how long each capability prober may run before it is reported as timed out',
    },
  ],
  points: {
    [PROBERS.name]: {
      description: 'capability probes run by `spor capabilities probe`',
      check: proberProblem,
    },
  },
  // A user plugin for another agent CLI builds its prober with this (`spor.plugin('capabilities')`).
  exports: {binaryProber},
  services: (r) => r.factory(CAPABILITIES, (c) => new Capabilities(c)),
});
