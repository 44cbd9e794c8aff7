// A user-authored harness plugin: it teaches spor to find aider (https://aider.chat) on this
// machine and to launch it for `spor dispatch`. Add it with `spor plugins add <this directory>`.
// Like every user plugin it is a factory that receives the host API `spor` and builds only on
// what that gives it: no imports, so it works from any directory without its own node_modules.
// `spor.plugin('capabilities')` is what the capabilities plugin offers plugins like this one.
export default (spor) => {
  const {binaryProber} = spor.plugin('capabilities');
  return spor.definePlugin({
    name: 'harness-aider',
    version: '1.0.0',
    settings: [
      {
        key: 'harness.aider.binary',
        type: 'string',
        default: '',
        description: 'the aider binary to use: an absolute path or a command name (empty: `aider` on PATH)',
      },
    ],
    // Items for extension points other plugins own: `probers` (capabilities) and `harnesses` (runs).
    contributes: {
      probers: [
        // Finds `aider` on PATH, or where harness.aider.binary points, and reads `aider --version`
        // (at most 2 s; a hanging or failing binary still counts as found, without a version).
        binaryProber({name: 'aider', harness: 'aider', binary: 'aider', settingKey: 'harness.aider.binary'}),
      ],
      harnesses: [
        {
          // How `spor dispatch` starts aider headless for a profile whose harness is `aider`.
          name: 'aider',
          binary: 'aider',
          binarySetting: 'harness.aider.binary',
          flags: [],
          // The prompt always arrives on stdin; aider reads its message from a file, so it is pointed
          // at its own stdin rather than given the text in argv (where `ps` would show it).
          launch: ({binary, model}) => ({
            argv: [
              binary,
              '--yes-always',
              '--no-pretty',
              '--message-file',
              '/dev/stdin',
              ...(model ? ['--model', model] : []),
            ],
          }),
          // aider prints plain text: no session id and no structured final message to pick out, so
          // the run's outcome comes from its exit status.
          parser: () => ({line: () => undefined}),
        },
      ],
    },
  });
};
