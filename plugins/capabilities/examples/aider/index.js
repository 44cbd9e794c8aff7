// A user-authored harness plugin: it teaches spor to find aider (https://aider.chat) on this
// machine. Add it with `spor plugins add <this directory>`. Like every user plugin it is a factory
// that receives the host API `spor` and builds only on what that gives it: no imports, so it works
// from any directory without its own node_modules.
export default (spor) => spor.definePlugin({
  name: 'harness-aider',
  version: '1.0.0',
  settings: [{
    key: 'harness.aider.binary',
    type: 'string',
    default: '',
    description: 'the aider binary to use: an absolute path or a command name (empty: `aider` on PATH)',
  }],
  probers: [
    // Finds `aider` on PATH, or where harness.aider.binary points, and reads `aider --version`
    // (at most 2 s; a hanging or failing binary still counts as found, without a version).
    spor.binaryProber({name: 'aider', harness: 'aider', binary: 'aider', settingKey: 'harness.aider.binary'}),
  ],
});
