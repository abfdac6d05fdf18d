// Bundles the hook entry (dist/cli/hook-main.js and everything it loads from dist/) into one readable file,
// dist/hook/hook.js, which bin/secure-repo.js runs for `hook pre-commit` and `hook pre-push`: a commit then loads
// one module instead of some sixty. The same for `secure-repo scan` (dist/hook/scan.js) and its worker threads
// (dist/hook/scan-worker.js). Run after tsc (`npm run build` does). Packages stay outside the bundle (they
// load from node_modules as before, and only when needed: yaml on a config cache miss, ast-grep for SAST files).
import { readFile } from 'node:fs/promises';
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

const result = await build({
  entryPoints: {
    hook: path.join(root, 'dist', 'cli', 'hook-main.js'),
    // `secure-repo scan`, and the worker threads a large files scan starts (see src/scan/secrets/pool.ts)
    scan: path.join(root, 'dist', 'cli', 'scan-main.js'),
    'scan-worker': path.join(root, 'dist', 'scan', 'secrets', 'worker.js'),
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // readable on purpose: what users install can be read and audited
  minify: false,
  legalComments: 'inline',
  metafile: true,
  logLevel: 'warning',
  plugins: [lazyPool, keepModuleUrls],
  banner: { js: '// Built by scripts/bundle-hook.mjs from dist/ (the readable modules beside it); do not edit.' },
});
for (const [out, meta] of Object.entries(result.metafile.outputs))
  console.log(`wrote ${path.relative(root, out)} (${Object.keys(meta.inputs).length} modules)`);
