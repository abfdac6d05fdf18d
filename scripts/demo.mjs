#!/usr/bin/env node
// The main job on a sample repository, no GitHub token needed: builds a small Node service with a committed
// history in a temp folder, runs the initializer on it, then shows a blocked commit.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin/secure-repo.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'secure-repo-demo-'));
const env = {
  ...process.env,
  GITHUB_TOKEN: '',
  GH_TOKEN: '',
  GIT_AUTHOR_NAME: 'Demo',
  GIT_AUTHOR_EMAIL: 'demo@example.com',
  GIT_COMMITTER_NAME: 'Demo',
  GIT_COMMITTER_EMAIL: 'demo@example.com',
};
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: dir, env, stdio: 'inherit', ...opts });
const write = (rel, text) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
};

console.log(`Sample repository: ${dir}\n`);
write(
  'package.json',
  JSON.stringify(
    { name: 'demo-service', version: '1.0.0', scripts: { start: 'node src/index.js', test: 'node --test' } },
    null,
    2,
  ) + '\n',
);
write(
  'src/index.js',
  "const http = require('node:http');\nhttp.createServer((req, res) => res.end('ok')).listen(process.env.PORT || 8080);\n",
);
write('Dockerfile', 'FROM node:20-slim\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "src/index.js"]\n');
sh('git', ['init', '-q', '-b', 'main']);
sh('git', ['add', '-A']);
sh('git', ['commit', '-qm', 'Initial service']);
sh('git', ['remote', 'add', 'origin', 'https://github.com/example/demo-service.git']);

// This checkout stands in for the published package (what `npx create-secure-repo` would fetch).
const spec = `file:${root}`;
console.log('$ npx create-secure-repo --yes');
sh(process.execPath, [cli, '--yes', '--package-spec', spec]);
console.log('\n$ npx create-secure-repo --yes   (second run: nothing to change)');
sh(process.execPath, [cli, '--yes', '--package-spec', spec]);

sh('git', ['add', '-A']);
sh('git', ['commit', '-qm', 'Add DevSecOps workflow', '--no-gpg-sign']);
// A credential-shaped value built at run time, so no literal token sits in this repository.
const fake = ['sk', 'live', '4eC39HqLyjWDarjtT1zdp7dc' + 'Xy9Lq2Rb8sZt'].join('_');
write('src/payments.js', `const stripe = require('stripe')('${fake}');\nmodule.exports = stripe;\n`);
sh('git', ['add', 'src/payments.js']);
console.log('\n$ git commit -m "Add payments"   (a live Stripe key is staged)');
try {
  sh('git', ['commit', '-qm', 'Add payments', '--no-gpg-sign']);
  console.log('!! the commit went through: the hooks did not block it');
  process.exitCode = 1;
} catch {
  console.log('\nThe commit was blocked, HEAD did not move.');
}
console.log(`\nDone. Look around: cd ${dir}`);
