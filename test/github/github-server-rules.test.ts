import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { startGitHubServer, type RepoInit } from '../support/github-server.js';
import { environmentSecretsOf, environmentVerdict } from '../support/github-server/environments.js';
import { FAKE_TOKEN } from './helpers.js';

/** The rules the mock enforces beyond the schema: each must refuse what GitHub refuses. Raw fetch, no Octokit. */
async function call(url: string, method: string, path: string, body?: unknown, token = FAKE_TOKEN) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

const REVIEWER_TOKEN = 'ghp_REVIEWERtoken0123456789abcdefghijkl';

async function server(repo: Partial<RepoInit> = {}) {
  return startGitHubServer({
    token: FAKE_TOKEN,
    login: 'octo',
    users: [{ login: 'rita', token: REVIEWER_TOKEN }],
    repos: [{ owner: 'octo', name: 'app', ...repo }],
  });
}

const prRule = (approvals: number, extra: Record<string, unknown> = {}) => ({
  type: 'pull_request',
  parameters: {
    required_approving_review_count: approvals,
    dismiss_stale_reviews_on_push: true,
    require_code_owner_review: false,
    require_last_push_approval: false,
    required_review_thread_resolution: false,
    ...extra,
  },
});
const ruleset = (rules: unknown[], bypass_actors: unknown[] = []) => ({
  name: 'r',
  enforcement: 'active',
  target: 'branch',
  bypass_actors,
  conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
  rules,
});
const checksRule = (extra: Record<string, unknown> = {}) => ({
  type: 'required_status_checks',
  parameters: {
    strict_required_status_checks_policy: true,
    required_status_checks: [{ context: 'security-gate', integration_id: 15368 }],
    ...extra,
  },
});

/** A feature branch with one commit, and a pull request from it into main opened by `octo`. */
async function openPr(s: Awaited<ReturnType<typeof server>>, signed = true) {
  expect(s.push('octo', 'app', { branch: 'feature', commits: [{ sha: 'f'.repeat(40), signed }] }).accepted).toBe(true);
  const pr = await call(s.url, 'POST', '/repos/octo/app/pulls', { title: 't', head: 'feature', base: 'main' });
  expect(pr.status).toBe(201);
  return pr.body!.number as number;
}

describe('GitHub rules the mock enforces', () => {
  test('authors cannot approve their own pull request; approvals from others count', async () => {
    const s = await server({
      collaborators: 2,
      people: [
        { login: 'octo', role: 'admin' },
        { login: 'rita', role: 'write' },
      ],
    });
    try {
      await call(s.url, 'POST', '/repos/octo/app/rulesets', ruleset([prRule(1)]));
      const n = await openPr(s);
      const self = await call(s.url, 'POST', `/repos/octo/app/pulls/${n}/reviews`, { event: 'APPROVE' });
      expect(self).toMatchObject({ status: 422, body: { errors: ['Can not approve your own pull request'] } });
      const refused = await call(s.url, 'PUT', `/repos/octo/app/pulls/${n}/merge`, { merge_method: 'squash' });
      expect(refused.status).toBe(405);
      expect(refused.body!.message).toMatch(
        /Repository rule violations found[\s\S]*At least 1 approving review is required/,
      );
      expect(
        (await call(s.url, 'POST', `/repos/octo/app/pulls/${n}/reviews`, { event: 'APPROVE' }, REVIEWER_TOKEN)).status,
      ).toBe(200);
      expect(await call(s.url, 'PUT', `/repos/octo/app/pulls/${n}/merge`, { merge_method: 'squash' })).toMatchObject({
        status: 200,
        body: { merged: true },
      });
      expect(s.invalid).toEqual([]);
    } finally {
      await s.close();
    }
  });

  test('an admin bypass in pull_request mode lets an admin merge without review, never push directly', async () => {
    const s = await server({ collaborators: 2 });
    try {
      await call(
        s.url,
        'POST',
        '/repos/octo/app/rulesets',
        ruleset([prRule(1)], [{ actor_type: 'RepositoryRole', actor_id: 5, bypass_mode: 'pull_request' }]),
      );
      const direct = s.push('octo', 'app', { branch: 'main', commits: [{ sha: 'd'.repeat(40), signed: true }] });
      expect(direct).toMatchObject({ accepted: false, violations: ['Changes must be made through a pull request.'] });
      const n = await openPr(s);
      expect((await call(s.url, 'PUT', `/repos/octo/app/pulls/${n}/merge`, { merge_method: 'merge' })).status).toBe(
        200,
      );
    } finally {
      await s.close();
    }
  });

  test('the push that creates a branch needs the required check unless do_not_enforce_on_create', async () => {
    const s = await server({ branches: [] });
    try {
      await call(s.url, 'POST', '/repos/octo/app/rulesets', ruleset([prRule(0), checksRule()]));
      const first = s.push('octo', 'app', { branch: 'main', commits: [{ sha: '1'.repeat(40), signed: true }] });
      expect(first).toMatchObject({
        accepted: false,
        created: true,
        violations: ['Required status check "security-gate" is expected.'],
      });
      const id = s.repo('octo', 'app').rulesets[0]!.id as number;
      await call(
        s.url,
        'PUT',
        `/repos/octo/app/rulesets/${id}`,
        ruleset([prRule(0), checksRule({ do_not_enforce_on_create: true })]),
      );
      expect(s.push('octo', 'app', { branch: 'main', commits: [{ sha: '1'.repeat(40), signed: true }] })).toMatchObject(
        { accepted: true, created: true },
      );
      // Once main exists, a direct push is an update: the pull request rule applies.
      expect(s.push('octo', 'app', { branch: 'main', commits: [{ sha: '2'.repeat(40), signed: true }] }).accepted).toBe(
        false,
      );
    } finally {
      await s.close();
    }
  });

  test('required checks and signatures on merge: squash is signed by GitHub, a merge commit brings unsigned commits', async () => {
    const s = await server();
    try {
      await call(
        s.url,
        'POST',
        '/repos/octo/app/rulesets',
        ruleset([prRule(0), checksRule(), { type: 'required_signatures' }]),
      );
      const n = await openPr(s, false);
      expect(
        (await call(s.url, 'PUT', `/repos/octo/app/pulls/${n}/merge`, { merge_method: 'squash' })).body!.message,
      ).toMatch(/Required status check "security-gate" is expected/);
      s.reportCheck('octo', 'app', 'f'.repeat(40), 'security-gate', 'success', 1); // another app: does not count
      expect((await call(s.url, 'PUT', `/repos/octo/app/pulls/${n}/merge`, { merge_method: 'squash' })).status).toBe(
        405,
      );
      s.reportCheck('octo', 'app', 'f'.repeat(40), 'security-gate', 'success');
      expect(
        (await call(s.url, 'PUT', `/repos/octo/app/pulls/${n}/merge`, { merge_method: 'merge' })).body!.message,
      ).toMatch(/verified signatures/);
      expect((await call(s.url, 'PUT', `/repos/octo/app/pulls/${n}/merge`, { merge_method: 'squash' })).status).toBe(
        200,
      );
    } finally {
      await s.close();
    }
  });

  test('plans per visibility and owner type: private repositories need a paid plan for rulesets', async () => {
    const cases: [Partial<RepoInit>, number][] = [
      [{ private: false, plan: 'free' }, 200],
      [{ private: true, plan: 'free' }, 403],
      [{ private: true, plan: 'pro' }, 200],
      [{ private: true, plan: 'free', ownerType: 'Organization' }, 403],
      [{ private: true, plan: 'team', ownerType: 'Organization' }, 200],
    ];
    for (const [repo, status] of cases) {
      const s = await server(repo);
      try {
        expect([repo, (await call(s.url, 'GET', '/repos/octo/app/rulesets')).status]).toEqual([repo, status]);
      } finally {
        await s.close();
      }
    }
  });

  test('Actions settings, code scanning availability and default setup are readable as GitHub answers them', async () => {
    const s = await server({
      actions: {
        enabled: true,
        allowed_actions: 'selected',
        selected: { github_owned_allowed: true, verified_allowed: false, patterns_allowed: [] },
      },
      defaultSetup: true,
    });
    s.addRepo({ owner: 'octo', name: 'secret', private: true, plan: 'pro' });
    try {
      expect((await call(s.url, 'GET', '/repos/octo/app/actions/permissions')).body).toMatchObject({
        enabled: true,
        allowed_actions: 'selected',
      });
      expect((await call(s.url, 'GET', '/repos/octo/app/actions/permissions/selected-actions')).body).toMatchObject({
        github_owned_allowed: true,
        patterns_allowed: [],
      });
      expect((await call(s.url, 'GET', '/repos/octo/app/code-scanning/default-setup')).body).toMatchObject({
        state: 'configured',
      });
      // A personal account cannot have Code Security: no code scanning on its private repositories.
      expect((await call(s.url, 'GET', '/repos/octo/secret/code-scanning/default-setup')).status).toBe(403);
      expect(s.invalidResponses).toEqual([]);
    } finally {
      await s.close();
    }
  });

  test('default setup on: a CodeQL upload from a workflow is accepted, then fails processing; other tools pass', async () => {
    const s = await server({ defaultSetup: true });
    const sarif = (tool: string) =>
      gzipSync(
        JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: tool } }, results: [] }] }),
      ).toString('base64');
    try {
      for (const [tool, status] of [
        ['CodeQL', 'failed'],
        ['secure-repo', 'complete'],
      ] as const) {
        const up = await call(s.url, 'POST', '/repos/octo/app/code-scanning/sarifs', {
          commit_sha: 'a'.repeat(40),
          ref: 'refs/heads/main',
          sarif: sarif(tool),
        });
        expect(up.status).toBe(202);
        const got = await call(s.url, 'GET', `/repos/octo/app/code-scanning/sarifs/${up.body!.id as string}`);
        expect(got.body).toMatchObject({ processing_status: status });
      }
      expect(s.invalid).toEqual([]);
    } finally {
      await s.close();
    }
  });

  test('a token without a permission gets 403 naming it in X-Accepted-GitHub-Permissions', async () => {
    const s = await server({ grants: ['contents=read', 'issues=write'] });
    try {
      const prot = await call(s.url, 'GET', '/repos/octo/app/branches/main/protection');
      expect(prot.status).toBe(403);
      expect(prot.headers.get('x-accepted-github-permissions')).toBe('administration=read');
      expect((await call(s.url, 'GET', '/repos/octo/app/rulesets')).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  test('environments: which refs may use one (its secrets with it), by deployment branch policy and plan', async () => {
    const s = await server({ ownerType: 'Organization' });
    try {
      const env = (name: string, policy: unknown) =>
        call(s.url, 'PUT', `/repos/octo/app/environments/${name}`, { deployment_branch_policy: policy });
      expect((await env('open', null)).status).toBe(200);
      expect((await env('named', { protected_branches: false, custom_branch_policies: true })).status).toBe(200);
      expect((await env('prot', { protected_branches: true, custom_branch_policies: false })).status).toBe(200);
      for (const [name, type] of [
        ['main', 'branch'],
        ['release/*', 'branch'],
        ['v*', 'tag'],
      ])
        expect(
          (await call(s.url, 'POST', '/repos/octo/app/environments/named/deployment-branch-policies', { name, type }))
            .status,
        ).toBe(200);
      const r = s.repo('octo', 'app');
      environmentSecretsOf(r).set('named', new Map([['TOKEN', 'now']]));
      const runs = (e: string, ref: string) => environmentVerdict(r, e, ref).runs;
      // No restriction: every ref.
      expect(runs('open', 'refs/heads/anything')).toBe(true);
      // Name patterns: `*` does not match `/`; tags only through tag patterns.
      expect(runs('named', 'refs/heads/main')).toBe(true);
      expect(runs('named', 'refs/heads/release/1.2')).toBe(true);
      expect(runs('named', 'refs/heads/release/1.2/hotfix')).toBe(false);
      expect(runs('named', 'refs/heads/main-copy')).toBe(false);
      expect(runs('named', 'refs/tags/v1.0.0')).toBe(true);
      expect(runs('named', 'refs/tags/main')).toBe(false);
      expect(environmentVerdict(r, 'named', 'refs/heads/main')).toMatchObject({ secrets: ['TOKEN'] });
      // "Protected branches only": with no protected branch anywhere, every branch (documented).
      expect(runs('prot', 'refs/heads/feature')).toBe(true);
      r.protection.set('main', {});
      expect(runs('prot', 'refs/heads/main')).toBe(true);
      expect(runs('prot', 'refs/heads/feature')).toBe(false);
      // A private repository on GitHub Free: rules and secrets ignored (documented).
      Object.assign(r, { private: true, plan: 'free' });
      expect(environmentVerdict(r, 'named', 'refs/heads/feature')).toMatchObject({ runs: true, secrets: [] });
    } finally {
      await s.close();
    }
  });
});
