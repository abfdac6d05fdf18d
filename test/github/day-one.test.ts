/**
 * Day one on GitHub, against the test server's model of GitHub's own rules (test/support/github-server/): what a new
 * user's repository looks like after `init` (which runs protect) and whether people can still work in it.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GitHubServer, RepoInit } from '../support/github-server.js';
import { variablesOf } from '../support/github-server/variables.js';
import { tempRepo, type TempRepo } from '../support/repo.js';
import { cli, FAKE_TOKEN, options, serverPool, session, tempDir, testEnv } from './helpers.js';

const repos: TempRepo[] = [];
afterAll(() => {
  for (const r of repos) r.cleanup();
});

const start = serverPool({}, { login: 'octo' });

type Json = Record<string, unknown>;
const rule = (rs: Json, type: string) =>
  (rs.rules as Json[]).find((r) => r.type === type)?.parameters as Json | undefined;

/** A small Node project with a GitHub origin, initialised by `create-secure-repo --yes` against the server. */
async function initProject(server: GitHubServer) {
  const r = tempRepo();
  repos.push(r);
  r.write({
    'package.json': JSON.stringify({ name: 'app', version: '1.0.0', scripts: { test: 'node -e 0' } }),
    'index.js': 'module.exports = 1;\n',
  });
  r.git('remote', 'add', 'origin', 'https://github.com/octo/app.git');
  const env = { ...r.env, GITHUB_API_URL: server.url, GITHUB_TOKEN: FAKE_TOKEN };
  const res = await cli(['init', '--yes', '--json', '--no-install'], env, r.dir);
  return { r, res };
}

const gh = (server: GitHubServer, token = FAKE_TOKEN) =>
  new Octokit({ auth: token, baseUrl: server.url, log: { debug() {}, info() {}, warn() {}, error() {} } });

describe.concurrent('day one', () => {
  test('a solo maintainer after init: pull requests required, and they can merge their own', async () => {
    const s = await start({ ownerType: 'User', collaborators: 1 });
    const { r, res } = await initProject(s);
    expect(res.code).toBe(0);
    // init recorded "auto", not a number the user never chose.
    const cfg = parse(readFileSync(path.join(r.dir, '.secure-repo.yml'), 'utf8')) as {
      protection: { requiredApprovals: unknown };
    };
    expect(cfg.protection.requiredApprovals).toBe('auto');

    const rs = s.repo('octo', 'app').rulesets[0]!;
    expect(rule(rs, 'pull_request')).toMatchObject({
      required_approving_review_count: 0,
      require_last_push_approval: false,
      require_code_owner_review: false,
    });
    expect(s.invalid).toEqual([]);

    // Pushing straight to main is refused: changes go through pull requests.
    expect(
      s.push('octo', 'app', { branch: 'main', commits: [{ sha: '9'.repeat(40), signed: true }] }).violations,
    ).toContain('Changes must be made through a pull request.');
    // The maintainer opens a pull request; the required check reports; GitHub will not let them approve it...
    expect(s.push('octo', 'app', { branch: 'fix', commits: [{ sha: 'c'.repeat(40), signed: false }] }).accepted).toBe(
      true,
    );
    const api = gh(s);
    const pr = await api.pulls.create({ owner: 'octo', repo: 'app', title: 'fix', head: 'fix', base: 'main' });
    await expect(
      api.pulls.createReview({ owner: 'octo', repo: 'app', pull_number: pr.data.number, event: 'APPROVE' }),
    ).rejects.toMatchObject({ status: 422 });
    const checks = rule(rs, 'required_status_checks')?.required_status_checks as { context: string }[] | undefined;
    for (const c of checks ?? []) s.reportCheck('octo', 'app', 'c'.repeat(40), c.context, 'success');
    // ...and does not need to: they merge their own pull request (squash, which GitHub signs).
    const merged = await api.pulls.merge({
      owner: 'octo',
      repo: 'app',
      pull_number: pr.data.number,
      merge_method: 'squash',
    });
    expect(merged.data.merged).toBe(true);
  });

  test('a team after init: one approval from someone else, or an admin bypass on the pull request', async () => {
    const REVIEWER = 'ghp_REVIEWERtoken0123456789abcdefghijkl';
    const s = await start(
      {
        ownerType: 'Organization',
        plan: 'team',
        people: [
          { login: 'octo', role: 'admin' },
          { login: 'dev', role: 'write' },
          { login: 'rita', role: 'write' },
        ],
      },
      {
        users: [
          { login: 'dev', token: 'ghp_DEVtoken0123456789abcdefghijklmnopq' },
          { login: 'rita', token: REVIEWER },
        ],
      },
    );
    const { res } = await initProject(s);
    expect(res.code).toBe(0);
    const rs = s.repo('octo', 'app').rulesets[0]!;
    expect(rule(rs, 'pull_request')).toMatchObject({ required_approving_review_count: 1 });
    expect(rs.bypass_actors).toEqual([{ actor_id: 5, actor_type: 'RepositoryRole', bypass_mode: 'pull_request' }]);
    s.push('octo', 'app', { branch: 'feat', commits: [{ sha: 'b'.repeat(40), signed: true }], actor: 'dev' });
    const dev = gh(s, 'ghp_DEVtoken0123456789abcdefghijklmnopq');
    const pr = await dev.pulls.create({ owner: 'octo', repo: 'app', title: 'feat', head: 'feat', base: 'main' });
    for (const c of (rule(rs, 'required_status_checks')?.required_status_checks as { context: string }[] | undefined) ??
      [])
      s.reportCheck('octo', 'app', 'b'.repeat(40), c.context, 'success');
    // The author alone cannot merge; a reviewer's approval makes it mergeable.
    await expect(
      dev.pulls.merge({ owner: 'octo', repo: 'app', pull_number: pr.data.number, merge_method: 'squash' }),
    ).rejects.toMatchObject({ status: 405 });
    await gh(s, REVIEWER).pulls.createReview({
      owner: 'octo',
      repo: 'app',
      pull_number: pr.data.number,
      event: 'APPROVE',
    });
    expect(
      (await dev.pulls.merge({ owner: 'octo', repo: 'app', pull_number: pr.data.number, merge_method: 'squash' })).data
        .merged,
    ).toBe(true);
  });

  test('an empty repository after init: the first push creates main', async () => {
    const s = await start({ ownerType: 'User', collaborators: 1, branches: [] });
    const { res } = await initProject(s);
    expect(res.code).toBe(0);
    const rs = s.repo('octo', 'app').rulesets[0]!;
    expect(rule(rs, 'required_status_checks')).toMatchObject({ do_not_enforce_on_create: true });
    // The check cannot have run on a commit GitHub has never seen: the creating push is not held to it.
    expect(s.push('octo', 'app', { branch: 'main', commits: [{ sha: '1'.repeat(40), signed: true }] })).toMatchObject({
      accepted: true,
      created: true,
    });
    expect(s.repo('octo', 'app').branches).toEqual(['main']);
    expect(JSON.stringify(JSON.parse(res.stdout))).toMatch(
      /the push that creates it is not held to the required check/,
    );
  });
});

describe.concurrent('a private repository on each plan: protect exit code and message', () => {
  const cases: { name: string; repo: Partial<RepoInit>; code: number; stderr: RegExp | null }[] = [
    {
      name: 'personal, Free',
      repo: { ownerType: 'User', plan: 'free' },
      code: 2,
      stderr:
        /need GitHub Pro \(personal accounts\); the account octo is on GitHub Free\..*Ways out: make the repository public .*upgrade the account to GitHub Pro/,
    },
    { name: 'personal, Pro', repo: { ownerType: 'User', plan: 'pro' }, code: 0, stderr: null },
    {
      name: 'organization, Free',
      repo: { ownerType: 'Organization', plan: 'free', collaborators: 3 },
      code: 2,
      stderr:
        /need GitHub Team \(organizations\); the organization octo is on GitHub Free\..*upgrade the organization to GitHub Team/,
    },
    {
      name: 'organization, Team',
      repo: { ownerType: 'Organization', plan: 'team', collaborators: 3 },
      code: 0,
      stderr: null,
    },
    {
      name: 'organization, Enterprise',
      repo: { ownerType: 'Organization', plan: 'enterprise', collaborators: 3, advancedSecurity: true },
      code: 0,
      stderr: null,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const s = await start({ private: true, ...c.repo });
      for (const json of [false, true]) {
        const r = await cli(
          ['protect', '--repo', 'octo/app', ...(json ? ['--json'] : [])],
          testEnv(s),
          await tempDir(),
        );
        expect([c.name, json, r.code]).toEqual([c.name, json, c.code]);
        if (c.stderr) expect(r.stderr.replace(/\n/g, ' ')).toMatch(c.stderr);
        else expect(r.stderr).toBe('');
      }
      // What the plan allows is applied either way.
      expect(s.repo('octo', 'app').vulnerabilityAlerts).toBe(true);
      expect(s.repo('octo', 'app').rulesets.length).toBe(c.code === 0 ? 1 : 0);
      expect(s.invalid).toEqual([]);
    });
  }
});

describe.concurrent('what the repository allows decides what is required', () => {
  const WF = {
    actions: ['actions/checkout', 'github/codeql-action/analyze', 'step-security/harden-runner'],
    advancedCodeql: true,
  };
  const required = (s: GitHubServer) =>
    (rule(s.repo('octo', 'app').rulesets[0]!, 'required_status_checks')?.required_status_checks as
      unknown[] | undefined) ?? [];

  test('Actions disabled: the check is not required, and the report says why', async () => {
    const s = await start({ actions: { enabled: false, allowed_actions: 'all' } });
    const r = await (await session({ ...options(s, await tempDir()), workflows: WF })).run(false);
    expect(required(s)).toEqual([]);
    expect(r.report.notes.join(' ')).toMatch(/security-gate check is not required: GitHub Actions is disabled/);
  });

  test('selected actions without ours: not required, naming the refused actions; with them allowed, required', async () => {
    const s = await start({
      actions: {
        enabled: true,
        allowed_actions: 'selected',
        selected: { github_owned_allowed: true, verified_allowed: false, patterns_allowed: [] },
      },
    });
    const r = await (await session({ ...options(s, await tempDir()), workflows: WF })).run(false);
    expect(required(s)).toEqual([]);
    expect(r.report.notes.join(' ')).toMatch(
      /allow only selected actions, and the workflows use step-security\/harden-runner/,
    );
    s.repo('octo', 'app').actions.selected!.patterns_allowed = ['step-security/*'];
    await (await session({ ...options(s, await tempDir()), workflows: WF })).run(false);
    expect(required(s)).toEqual([{ context: 'security-gate' }]); // no app pin off github.com
  });

  test("code scanning default setup on: the workflows' CodeQL is switched off through their variable, so the check can pass", async () => {
    const s = await start({ defaultSetup: true });
    const r = await (await session({ ...options(s, await tempDir()), workflows: WF })).run(false);
    expect(required(s)).toEqual([{ context: 'security-gate' }]);
    expect(r.report.changes.find((c) => c.target === 'code-scanning-variable')).toMatchObject({
      action: 'create',
      reason: expect.stringMatching(/SECURE_REPO_CODE_SCANNING: unset → false: code scanning default setup is on/),
    });
    expect(variablesOf(s.repo('octo', 'app')).get('SECURE_REPO_CODE_SCANNING')?.value).toBe('false');
    // A token that cannot write variables: the check is left out instead, and the report says why.
    const t = await start({ defaultSetup: true, grants: ['administration=write', 'contents=read'] });
    const r2 = await (await session({ ...options(t, await tempDir()), workflows: WF })).run(false);
    expect(required(t)).toEqual([]);
    expect(r2.report.notes.join(' ')).toMatch(/default setup is on/);
  });

  test('a private repository with Code Security: the workflows are told to upload to code scanning', async () => {
    const s = await start({
      private: true,
      ownerType: 'Organization',
      plan: 'team',
      advancedSecurity: true,
      collaborators: 3,
    });
    await (await session(options(s, await tempDir()))).run(false);
    expect(variablesOf(s.repo('octo', 'app')).get('SECURE_REPO_CODE_SCANNING')?.value).toBe('true');
  });

  test('CODEOWNERS naming the organization itself: code-owner review stays off, and the report says how to fix it', async () => {
    const s = await start({ ownerType: 'Organization', plan: 'team', collaborators: 3 });
    const r = await (await session({ ...options(s, await tempDir()), codeowners: '/.github/ @octo\n' })).run(false);
    expect(rule(s.repo('octo', 'app').rulesets[0]!, 'pull_request')).toMatchObject({
      require_code_owner_review: false,
    });
    expect(r.report.notes.join(' ')).toMatch(/CODEOWNERS names @octo, the organization itself.*@octo\/<team>/);
  });
});

describe('audit with the workflow token', () => {
  test('settings it cannot read are "not checked: needs <permission>", from GitHub\'s header', async () => {
    // The default GITHUB_TOKEN of the audit workflow: contents read, issues write, no administration.
    const s = await start({ installationToken: true, grants: ['contents=read', 'issues=write'] });
    const r = tempRepo();
    repos.push(r);
    r.write({ 'index.js': '1;\n' });
    r.git('remote', 'add', 'origin', 'https://github.com/octo/app.git');
    const res = await cli(
      ['audit', '--format', 'json'],
      { ...r.env, GITHUB_API_URL: s.url, GITHUB_TOKEN: FAKE_TOKEN },
      r.dir,
    );
    const report = JSON.parse(res.stdout) as { github: { checked: boolean; reason: string } };
    expect(report.github).toEqual({
      checked: false,
      reason: expect.stringMatching(/^not checked: needs Administration: read/),
    });
    expect(s.writes()).toEqual([]);
  });

  test('one setting it cannot read is "not checked: needs <permission>", never a pass', async () => {
    // No branch yet, so no protection to read: the ruleset is readable with metadata, the security settings are not.
    const s = await start({ installationToken: true, grants: ['contents=read', 'issues=write'], branches: [] });
    const r = tempRepo();
    repos.push(r);
    r.write({ 'index.js': '1;\n' });
    r.git('remote', 'add', 'origin', 'https://github.com/octo/app.git');
    const res = await cli(
      ['audit', '--format', 'json'],
      { ...r.env, GITHUB_API_URL: s.url, GITHUB_TOKEN: FAKE_TOKEN },
      r.dir,
    );
    const report = JSON.parse(res.stdout) as {
      github: { checked: boolean };
      checks: { id: string; area: string; status: string; needs?: string }[];
    };
    expect(report.github.checked).toBe(true);
    const alerts = report.checks.find((f) => f.id === 'github-dependabot-alerts');
    expect(alerts).toMatchObject({ status: 'not-checked', needs: 'Administration: read' });
    expect(
      report.checks.filter(
        (f) => f.area === 'github' && f.status === 'not-checked' && f.needs === 'Administration: read',
      ).length,
    ).toBeGreaterThan(2);
    expect(
      report.checks.filter((f) => f.area === 'github' && f.status === 'pass' && f.id === 'github-dependabot-alerts'),
    ).toEqual([]);
  });
});
