// Replaces clipanion's platform/node module in the bundle. Same contract, but `tty` and
// `async_hooks` are required only when used: loading tty up front costs every spor command
// several milliseconds even when its output is a pipe (see bench/startup.mjs).
let storage;

exports.getDefaultColorDepth = () => {
  if (process.env.FORCE_COLOR === '0') return 1;
  if (process.env.FORCE_COLOR === '1') return 8;
  if (!process.stdout.isTTY) return 1;
  const tty = require('tty');
  return typeof tty.WriteStream.prototype.getColorDepth === 'function' ? tty.WriteStream.prototype.getColorDepth() : 8;
};

exports.getCaptureActivator = (context) => {
  if (storage === undefined) {
    if (context.stdout === process.stdout && context.stderr === process.stderr) return null;
    const {AsyncLocalStorage} = require('async_hooks');
    storage = new AsyncLocalStorage();
    for (const name of ['stdout', 'stderr']) {
      const stream = process[name];
      const original = stream._write;
      stream._write = function (chunk, encoding, cb) {
        const active = storage.getStore();
        return active === undefined ? original.call(this, chunk, encoding, cb) : active[name].write(chunk, encoding, cb);
      };
    }
  }
  return (fn) => storage.run(context, fn);
};
