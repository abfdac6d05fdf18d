// @ts-check
// Run by the package.json "prepare" script: installs the husky hooks, and never fails an install.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ci =
  process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== '0' && process.env.CI !== 'false';
if (process.env.HUSKY === '0' || ci) process.exit(0);

/** @type {string} */
let huskyEntry;
try {
  huskyEntry = createRequire(path.join(process.cwd(), 'package.json')).resolve('husky');
} catch {
  process.exit(0); // husky is not installed here (production install): nothing to do
}

/** @type {string} */
let root;
try {
  root = execFileSync('git', ['rev-parse', '--show-toplevel'], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
} catch {
  process.exit(0); // not a git checkout (e.g. an unpacked tarball)
}

const hooksDir = path.dirname(fileURLToPath(import.meta.url));
/** @type {{ default: (dir: string) => string }} */
const { default: husky } = await import(pathToFileURL(huskyEntry).href);
process.chdir(root);
const message = husky(path.relative(root, hooksDir).split(path.sep).join('/'));
if (message) console.log(message);
