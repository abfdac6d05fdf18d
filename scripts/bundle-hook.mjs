// Bundles the hook entry (dist/cli/hook-main.js and everything it loads from dist/) into one readable file,
// dist/hook/hook.cjs, which bin/hook.cjs loads for `hook pre-commit` and `hook pre-push`: a commit then loads one
// script instead of some sixty modules. The same for `secure-repo scan` (dist/hook/scan.js) and its worker threads
// (dist/hook/scan-worker.js). Run after tsc (`npm run build` does). Packages stay outside the bundles (they load from
// node_modules as before, and only when needed: yaml on a config cache miss, ast-grep for SAST files).
//
// The hook bundle is CommonJS so that bin/hook.cjs can compile it with a V8 code cache (node:vm), which Node 20
// offers for scripts only, and so that a commit skips the ES module loader: on Node 20 those two were 15 ms of every
// commit. Its last line names its content hash, which keys that cache.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'hook');

/**
 * Our modules find their data files relative to themselves (`new URL('../../schema/…', import.meta.url)`), and the
 * secret scanner starts its worker from its own folder. Bundled, every module keeps the URL of the file it was
 * built from, so those paths resolve exactly as they do unbundled.
 */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
      let contents = await readFile(args.path, 'utf8');
      if (contents.includes('import.meta.url')) {
        const rel = path.relative(outdir, args.path).split(path.sep).join('/');
        contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
      }
      return { contents, loader: 'js' };
    });
  },
};

/**
 * The worker pool (node:worker_threads) serves whole-tree scans only, never a hook; bundled, its static imports
 * would be hoisted and load on every commit. It stays a separate file, imported when a tree scan needs it.
 */
const lazyPool = {
  name: 'lazy-pool',
  setup(b) {
    b.onResolve({ filter: /[\\/]secrets[\\/]pool\.js$/ }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      return { path: path.relative(outdir, target).split(path.sep).join('/'), external: true };
    });
  },
};

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // readable on purpose: what users install can be read and audited
  minify: false,
  legalComments: 'inline',
  metafile: true,
  logLevel: 'warning',
  banner: { js: '// Built by scripts/bundle-hook.mjs from dist/ (the readable modules beside it); do not edit.' },
};

const esm = await build({
  ...shared,
  entryPoints: {
    // `secure-repo scan`, and the worker threads a large files scan starts (see src/scan/secrets/pool.ts)
    scan: path.join(root, 'dist', 'cli', 'scan-main.js'),
    'scan-worker': path.join(root, 'dist', 'scan', 'secrets', 'worker.js'),
  },
  outdir,
  format: 'esm',
  plugins: [lazyPool, keepModuleUrls],
});

/**
 * The hook bundle as a CommonJS script. `import.meta.url` (kept per module by keepModuleUrls) becomes the bundle's
 * own file URL; `import()` of a package becomes `require` (a script compiled through node:vm has no ES module
 * loader without an experimental flag, and yaml, picomatch and ast-grep's binding are CommonJS anyway).
 */
const cjs = await build({
  ...shared,
  entryPoints: {
    hook: path.join(root, 'dist', 'cli', 'hook-main.js'),
    // what bin/secure-repo.js loads to start `scan --history`'s git processes before the scan bundle (one file,
    // read with require: a handful of ES modules cost more than git needs to get going)
    'history-log': path.join(root, 'dist', 'scan', 'sources', 'history-log.js'),
  },
  outdir,
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__bundleUrl' },
  banner: {
    js: `${shared.banner.js}\nconst __bundleUrl = require("node:url").pathToFileURL(__filename).href;`,
  },
  plugins: [lazyPool, keepModuleUrls],
});
const hookFile = path.join(outdir, 'hook.cjs');
const hookText = await readFile(hookFile, 'utf8');
const hash = createHash('sha256').update(hookText).digest('hex');
await writeFile(hookFile, `${hookText}// content sha256 ${hash}\n`);

for (const [out, meta] of Object.entries({ ...esm.metafile.outputs, ...cjs.metafile.outputs }))
  console.log(`wrote ${path.relative(root, out)} (${Object.keys(meta.inputs).length} modules)`);
