import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { detect } from '../../src/detect/index.js';
import { applicableStages, planTemplates } from '../../src/templates/index.js';
import { KINDS, type RepoKind } from '../support/kinds.js';
import { tempRepo, type TempRepo } from '../support/repo.js';

const readTextOrNullSync = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

const GOLDEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');

/**
 * Golden files: every file init would write for each sample repository kind, from a real detect(), compared with
 * the committed copy under test/templates/golden/. A template change shows up in review as a diff of the YAML it
 * generates; after a deliberate change, `npx vitest run test/templates/golden.test.ts -u` rewrites them.
 */
describe.each(Object.keys(KINDS) as RepoKind[])('golden files: %s', (kind) => {
  const repos: TempRepo[] = [];
  afterAll(() => repos.forEach((r) => r.cleanup()));

  test('what init writes matches the committed snapshot', async () => {
    const repo = tempRepo();
    repos.push(repo);
    repo.write(KINDS[kind]);
    repo.git('remote', 'add', 'origin', `https://github.com/acme/${kind}.git`);
    if (Object.keys(KINDS[kind]).length > 0) {
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'initial');
    }
    const saved = { ...process.env };
    Object.assign(process.env, { HOME: repo.home, GIT_CONFIG_GLOBAL: repo.env.GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM: '1' });
    let det;
    try {
      det = await detect(repo.dir);
    } finally {
      process.env = saved;
    }
    const config = defaultConfig();
    config.stages = applicableStages(det);
    const parts: string[] = [`# ${kind}: stages ${config.stages.join(', ')}\n`];
    const intents = planTemplates(det, config).sort((a, b) => a.path.localeCompare(b.path));
    expect(intents.length).toBeGreaterThan(3);
    for (const intent of intents) {
      // Rendered over what the repository has, as init would: the user's own files show as kept.
      const r = intent.render(readTextOrNullSync(path.join(repo.dir, intent.path)));
      const what = 'content' in r ? 'create' : 'skip' in r ? `skip: ${r.skip}` : 'remove';
      parts.push(`\n==> ${intent.path} (${what})\n# reason: ${intent.reason}\n`);
      if ('content' in r) parts.push(r.content);
    }
    await expect(parts.join('')).toMatchFileSnapshot(path.join(GOLDEN, `${kind}.txt`));
  });
});
