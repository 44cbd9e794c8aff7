// The settings plugin's public surface: the only file other plugins may import.
import {point} from '../../core/index.js';

/**
 * A setting whose value on this machine another plugin records with an event of its own and keeps
 * in its own slice (the agent plugin's `agent.current`, recorded by `spor agent use`). The settings
 * plugin reads `state[slice][field]` as the machine value of the key `name` (when it is not
 * undefined), so `spor config get` and every resolution see it; `spor config set` refuses the key
 * and points at `command`. Plain data: reading it evaluates nothing but the slice's projection.
 */
export interface RecordedSetting {
  /** The setting's key (declared by the same plugin in `settings`). */
  name: string;
  slice: string;
  field: string;
  /** The command that records it, for the refusal of `spor config set`. */
  command: string;
}

/** The extension point this plugin owns: `contributes: {recordedSettings: [...]}`. */
export const RECORDED_SETTINGS = point<RecordedSetting>('recordedSettings');

/** The pure draft of `spor config set`, for a flow that records settings in a batch of its own. */
export {setConfig} from './decide.js';
export type {SettingsState} from './projection.js';
