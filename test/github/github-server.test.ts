import { describe, expect, test } from 'vitest';
import { PLAN_MESSAGE, startGitHubServer } from '../support/github-server.js';
import { FAKE_TOKEN } from './helpers.js';

/** The mock is only worth its claims if it rejects what GitHub's description rejects. Raw fetch, no Octokit. */
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

const validRuleset = {
  name: 'r',
  enforcement: 'active',
  target: 'branch',
  conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
  rules: [
    { type: 'deletion' },
    {
      type: 'pull_request',
      parameters: {
        required_approving_review_count: 1,
        dismiss_stale_reviews_on_push: true,
        require_code_owner_review: false,
        require_last_push_approval: false,
        required_review_thread_resolution: true,
      },
    },
  ],
};

describe('the OpenAPI-validating mock', () => {
  test('accepts a documented request, keeps state, and rejects what the description rejects', async () => {
    const s = await startGitHubServer({
      token: FAKE_TOKEN,
      repos: [{ owner: 'o', name: 'r', ownerType: 'Organization' }],
    });
    try {
      const created = await call(s.url, 'POST', '/repos/o/r/rulesets', validRuleset);
      expect(created.status).toBe(201);
      const got = await call(s.url, 'GET', `/repos/o/r/rulesets/${created.body!.id as number}`);
      expect(got.body!.rules).toEqual(validRuleset.rules);
      expect(s.invalid).toEqual([]);

      // Enum violation, a pull_request rule missing required parameters, an unknown rule type.
      for (const bad of [
        { ...validRuleset, name: 'a', enforcement: 'on' },
        {
          ...validRuleset,
          name: 'b',
          rules: [{ type: 'pull_request', parameters: { required_approving_review_count: 1 } }],
        },
        { ...validRuleset, name: 'c', rules: [{ type: 'no_such_rule' }] },
      ]) {
        const r = await call(s.url, 'POST', '/repos/o/r/rulesets', bad);
        expect(r.status).toBe(422);
      }
      expect(s.invalid).toHaveLength(3);
      expect(s.repo('o', 'r').rulesets).toHaveLength(1);

      // A non-integer path parameter, an undocumented query parameter, an undocumented route.
      expect((await call(s.url, 'GET', '/repos/o/r/rulesets/abc')).status).toBe(422);
      expect((await call(s.url, 'GET', '/repos/o/r/rulesets?colour=blue')).status).toBe(422);
      expect((await call(s.url, 'GET', '/repos/o/r/no-such-thing')).status).toBe(404);
      expect(s.invalid.slice(3).map((i) => i.errors[0])).toEqual([
        expect.stringMatching(/path parameter ruleset_id/),
        expect.stringMatching(/query parameter colour is not documented/),
        expect.stringMatching(/no operation/),
      ]);
    } finally {
      await s.close();
    }
  });

  test('OpenAPI nullable fields accept null; classic protection wants exactly one of checks and contexts', async () => {
    const s = await startGitHubServer({
      token: FAKE_TOKEN,
      repos: [{ owner: 'o', name: 'r', ownerType: 'Organization' }],
    });
    try {
      const base = {
        required_status_checks: null,
        enforce_admins: null,
        required_pull_request_reviews: null,
        restrictions: null,
      };
      expect((await call(s.url, 'PUT', '/repos/o/r/branches/main/protection', base)).status).toBe(200);
      const both = { ...base, required_status_checks: { strict: true, contexts: ['a'], checks: [{ context: 'a' }] } };
      expect((await call(s.url, 'PUT', '/repos/o/r/branches/main/protection', both)).status).toBe(422);
      const missing = { enforce_admins: true };
      expect((await call(s.url, 'PUT', '/repos/o/r/branches/main/protection', missing)).status).toBe(422);
      expect(s.invalid).toHaveLength(1); // the missing required keys; the both-given case is GitHub's own rule
    } finally {
      await s.close();
    }
  });

  test('faults are injected by route and counted; a wrong token is a 401', async () => {
    const s = await startGitHubServer({
      token: FAKE_TOKEN,
      repos: [{ owner: 'o', name: 'r', private: true, plan: 'free' }],
    });
    try {
      expect((await call(s.url, 'GET', '/repos/o/r', undefined, 'other')).status).toBe(401);
      s.inject({ route: 'GET /repos/{owner}/{repo}', fault: 'rate-limit', times: 1 });
      const limited = await call(s.url, 'GET', '/repos/o/r');
      expect(limited.status).toBe(403);
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect((await call(s.url, 'GET', '/repos/o/r')).status).toBe(200);
      // The plan rule is built in: a private repository on Free cannot have protection.
      const plan = await call(s.url, 'POST', '/repos/o/r/rulesets', validRuleset);
      expect(plan).toMatchObject({ status: 403, body: { message: PLAN_MESSAGE } });
      s.inject({ route: '*', fault: 'network-drop', times: 1 });
      await expect(call(s.url, 'GET', '/repos/o/r')).rejects.toThrow();
    } finally {
      await s.close();
    }
  });
});
