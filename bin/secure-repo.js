#!/usr/bin/env node
// Thin entry: everything, including the command table, is loaded lazily so that `secure-repo hook` starts fast.
import module, { createRequire } from 'node:module';

// Node 22+ keeps compiled code between runs (every commit starts node afresh); Node 20 has no such cache.
module.enableCompileCache?.();

const argv = process.argv.slice(2);
// A reader that stops early (`| head`) closes the pipe: that is the reader's choice, not an error to report.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
// What the git hooks run goes through bin/hook.cjs and one bundled script (dist/hook/hook.cjs, built by
// scripts/bundle-hook.mjs) instead of the command table and some sixty modules. Without the bundle (a tsc-only
// build) the same code runs unbundled.
const isHook =
  argv[0] === 'hook' &&
  (argv[1] === 'pre-commit' || argv[1] === 'pre-push') &&
  !argv.includes('--help') &&
  !argv.includes('-h');
const bundleMissing = (err) =>
  err && err.code === 'ERR_MODULE_NOT_FOUND' && /[\\/]dist[\\/]hook[\\/]scan\.js/.test(String(err.message));

async function start() {
  if (isHook) {
    const { runHookEntry } = createRequire(import.meta.url)('./hook.cjs');
    process.exitCode = await runHookEntry(argv.slice(1));
    return;
  }
  // `scan` too has its own bundle (dist/hook/scan.js): module resolution was a fifth of a small scan's time.
  if (argv[0] === 'scan') {
    const bundle = await import('../dist/hook/scan.js').catch((err) =>
      bundleMissing(err) ? null : Promise.reject(err),
    );
    const { runScanCommand } = bundle ?? (await import('../dist/cli/scan-main.js'));
    await runScanCommand(argv.slice(1));
    return;
  }
  const cli = await import('../dist/cli/main.js');
  await cli.main(argv);
}

start().catch((err) => {
  process.stderr.write(
    `secure-repo: the program could not start (${err && err.code ? err.code : 'load error'}). ` +
      'Reinstall it (npm install create-secure-repo) and try again.\n',
  );
  process.exitCode = 2;
});
