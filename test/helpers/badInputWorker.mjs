#!/usr/bin/env node
// Runs many command lines against the built bundle (dist/core.js) in this one process, for the
// property-based bad-input test: `badInputWorker.mjs <cases.json>` reads {env, cwd, argvs} and
// prints one JSON line per command line, {argv, exitCode, stderr, stdout} (long outputs cut), then
// {done: true}. The parent kills it after a timeout: a command that hangs never reports.
import {readFileSync, writeSync} from 'node:fs';
import {createRequire} from 'node:module';
import {PassThrough, Writable} from 'node:stream';

const core = createRequire(import.meta.url)('../../dist/core.js');
const {env, cwd, argvs} = JSON.parse(readFileSync(process.argv[2], 'utf8'));

class Capture extends Writable {
  text = '';
  _write(chunk, _enc, cb) {
    if (this.text.length < 4096) this.text += chunk.toString().slice(0, 4096);
    cb();
  }
}

const {container, registry} = await core.boot({
  env,
  cwd,
  stderr: new Capture(),
  builtins: core.builtinPlugins(),
  userPlugins: false,
});
for (const argv of argvs) {
  const out = new Capture();
  const err = new Capture();
  writeSync(1, `${JSON.stringify({start: argv.map((a) => a.slice(0, 40))})}\n`);
  const exitCode = await core.runCli(
    argv,
    {stdin: new PassThrough(), stdout: out, stderr: err, env, cwd},
    container,
    registry,
    '0.0.0',
  );
  writeSync(
    1,
    `${JSON.stringify({argv: argv.map((a) => a.slice(0, 40)), exitCode, stderr: err.text, stdout: out.text.slice(0, 200)})}\n`,
  );
}
writeSync(1, `${JSON.stringify({done: true})}\n`);
process.exit(0);
