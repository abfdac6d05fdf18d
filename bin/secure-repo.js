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
const isHistoryScan =
  argv[0] === 'scan' && argv.includes('--history') && !argv.includes('--help') && !argv.includes('-h');

/** The history scan's git processes, as the scan would start them (`--all`, no --raw, merges apart), or null. */
async function startHistoryEarly() {
  try {
    let start;
    try {
      start = createRequire(import.meta.url)('../dist/hook/history-log.cjs').startHistoryLog;
    } catch {
      start = (await import('../dist/scan/sources/history-log.js')).startHistoryLog; // a tsc-only build
    }
    return await start(process.cwd(), ['--all'], false, true);
  } catch {
    return null; // the scan starts its own
  }
}
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
    // `scan --history`: git starts reading the history before the scan code loads (about 30 ms of compiling and
    // loading on Node 20), and the scan takes its output over if it asks for the same (see history-log.ts).
    const early = isHistoryScan ? await startHistoryEarly() : null;
    const bundle = await import('../dist/hook/scan.js').catch((err) =>
      bundleMissing(err) ? null : Promise.reject(err),
    );
    const scan = bundle ?? (await import('../dist/cli/scan-main.js'));
    if (early) scan.adoptHistoryLog(early);
    await scan.runScanCommand(argv.slice(1));
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
