// Replaces clipanion's platform/node module in the bundle. `tty` is required only when used:
// loading it up front costs every spor command several milliseconds even when its output is a
// pipe (see bench/startup.mjs).

exports.getDefaultColorDepth = () => {
  if (process.env.FORCE_COLOR === '0') return 1;
  if (process.env.FORCE_COLOR === '1') return 8;
  if (!process.stdout.isTTY) return 1;
  const tty = require('tty');
  return typeof tty.WriteStream.prototype.getColorDepth === 'function' ? tty.WriteStream.prototype.getColorDepth() : 8;
};

// clipanion uses this to redirect console.log inside a command to the command's own streams. spor's
// commands write to this.context streams, and the redirection would need async_hooks and the real
// process.stdout on every run, so spor turns it off.
exports.getCaptureActivator = () => null;
