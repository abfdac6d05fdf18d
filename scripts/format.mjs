// `npm run format` rewrites the tree in the project's style (.prettierrc.json, 120 columns); `npm run format --
// --check` only lists what differs and fails, which is what CI runs. Extra arguments (paths) go to prettier.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const args = process.argv.slice(2);
const check = args.includes('--check');
const rest = args.filter((a) => a !== '--check' && a !== '--write');
const prettier = createRequire(import.meta.url).resolve('prettier/bin/prettier.cjs');
const r = spawnSync(process.execPath, [prettier, check ? '--check' : '--write', ...(rest.length ? rest : ['.'])], {
  stdio: 'inherit',
});
process.exitCode = r.status ?? 2;
