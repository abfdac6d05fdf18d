import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatError } from '../../src/core/errors.js';
import { protectIntent } from '../../src/github/index.js';
import type { Fault } from '../support/github-server.js';
import { cli, FAKE_TOKEN, options, serverPool, session, tempDir, testEnv } from './helpers.js';

const start = serverPool({ ownerType: 'Organization', collaborators: 3 });

/** Every file under dir, read as text: the token must not be in any of them. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const e of await fsp.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath, e.name);
    if ((await fsp.readFile(p, 'utf8')).includes(needle)) hits.push(p);
  }
  return hits;
}

function expectNoToken(...texts: string[]) {
  for (const t of texts) expect(t).not.toContain(FAKE_TOKEN);
  for (const t of texts) expect(t).not.toContain(FAKE_TOKEN.slice(4, 20));
}

describe.concurrent('each error: a clear message, exit 2, never the token', () => {
  const cases: {
    name: string;
    route: string;
    fault: Fault;
    times?: number;
    stderr: RegExp;
    stdout?: RegExp;
    applied?: boolean;
  }[] = [
    {
      name: '401 bad or expired token',
      route: '*',
      fault: 'unauthorized',
      stderr: /rejected the token.*401: Bad credentials.*GITHUB_TOKEN.*gh auth login/s,
    },
    {
      name: '403 without admin rights',
      route: 'POST /repos/{owner}/{repo}/rulesets',
      fault: 'forbidden-admin',
      stderr: /not applied/,
      stdout: /no admin rights.*Administration: write/,
      applied: true,
    },
    {
      name: '403 plan limitation',
      route: 'POST /repos/{owner}/{repo}/rulesets',
      fault: 'plan',
      stderr: /GitHub Pro \(personal accounts\) or GitHub Team/,
      stdout: /Upgrade to GitHub Pro/,
      applied: true,
    },
    {
      name: '404 repository',
      route: 'GET /repos/{owner}/{repo}',
      fault: 'not-found',
      stderr: /octo\/app was not found at .* \(404\).*--repo OWNER\/NAME/s,
    },
    {
      name: '409 conflict',
      route: 'PUT /repos/{owner}/{repo}/actions/permissions/workflow',
      fault: 'conflict',
      stderr: /not applied.*workflow-token-read-only/,
      stdout: /409: An organization policy prevents this change/,
      applied: true,
    },
    {
      name: '422 validation',
      route: 'POST /repos/{owner}/{repo}/rulesets',
      fault: 'unprocessable',
      stderr: /not applied/,
      stdout: /422: Validation Failed; Injected validation failure/,
      applied: true,
    },
    {
      name: 'primary rate limit that does not end',
      route: 'GET /repos/{owner}/{repo}',
      fault: 'rate-limit',
      stderr: /rate limit.*(waiting|giving up).*rate limit is still exceeded/s,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const s = await start();
      s.inject({ route: c.route, fault: c.fault, ...(c.times ? { times: c.times } : {}) });
      const dir = await tempDir();
      const r = await cli(['protect', '--repo', 'octo/app'], testEnv(s), dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(c.stderr);
      if (c.stdout) expect(r.stdout).toMatch(c.stdout);
      // Settings not behind the failing request were still applied.
      if (c.applied) expect(s.repo('octo', 'app').vulnerabilityAlerts).toBe(true);
      expect(
        r.stderr
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('…')).length,
      ).toBe(1); // one paragraph
      const json = await cli(['protect', '--repo', 'octo/app', '--json'], testEnv(s), dir);
      expectNoToken(r.stdout, r.stderr, json.stdout, json.stderr);
      expect(await filesContaining(dir, FAKE_TOKEN)).toEqual([]);
    });
  }

  test('a wrong token is not echoed either', async () => {
    const s = await start();
    const wrong = 'ghp_WRONGtoken_ZZZZ_0000_should_not_print';
    const r = await cli(['protect', '--repo', 'octo/app'], testEnv(s, wrong), await tempDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/401/);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });

  test('network failure that persists: exit-2 message naming the API URL', async () => {
    const s = await start();
    s.inject({ route: '*', fault: 'network-drop' });
    const sess = await session(options(s, await tempDir()));
    const err = await sess.run(false).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    const text = formatError(err);
    expect(text).toMatch(new RegExp(`could not reach GitHub at ${s.url.replace(/[.]/g, '\\.')}.*--api-url`, 's'));
    expect((err as { exitCode?: number }).exitCode).toBe(2);
    expectNoToken(text, String((err as Error).stack));
    // Retried before giving up (1 + 3 retries).
    expect(s.requests.filter((q) => q.route === 'GET /repos/{owner}/{repo}').length).toBe(4);
  });
});

describe.concurrent('transient failures are waited out and retried', () => {
  const transient: { fault: Fault; progress: RegExp | null }[] = [
    { fault: 'rate-limit', progress: /primary rate limit reached; waiting \d+s/ },
    { fault: 'rate-limit-429', progress: /primary rate limit reached; waiting \d+s/ },
    { fault: 'secondary-rate-limit', progress: /secondary rate limit reached; waiting 1s/ },
    { fault: 'network-drop', progress: null },
  ];
  for (const t of transient) {
    test(t.fault, async () => {
      const s = await start();
      s.inject({ route: 'PUT /repos/{owner}/{repo}/vulnerability-alerts', fault: t.fault, times: 1 });
      const r = await cli(['protect', '--repo', 'octo/app'], testEnv(s), await tempDir());
      expect(r.code).toBe(0);
      if (t.progress) expect(r.stderr).toMatch(t.progress);
      expect(s.repo('octo', 'app').vulnerabilityAlerts).toBe(true);
      expect(s.requests.filter((q) => q.route === 'PUT /repos/{owner}/{repo}/vulnerability-alerts').length).toBe(2);
      expectNoToken(r.stdout, r.stderr);
    });
  }
});

describe.concurrent('token resolution', () => {
  async function fakeGh(dir: string, token: string) {
    const bin = path.join(dir, 'bin');
    await fsp.mkdir(bin);
    const log = path.join(dir, 'gh-called');
    await fsp.writeFile(path.join(bin, 'gh'), `#!/bin/sh\necho "$@" >> "${log}"\necho ${token}\n`, { mode: 0o755 });
    return { bin, log };
  }

  test('GITHUB_TOKEN wins over GH_TOKEN, and gh is not asked', async () => {
    const s = await start();
    const dir = await tempDir();
    const gh = await fakeGh(dir, 'ghp_from_gh_wrong');
    const env = { ...testEnv(s), GH_TOKEN: 'ghp_second_choice_wrong', PATH: `${gh.bin}:/usr/bin:/bin` };
    const r = await cli(['protect', '--repo', 'octo/app', '--dry-run'], env, dir);
    expect(r.code).toBe(0);
    await expect(fsp.access(gh.log)).rejects.toThrow();
  });

  test('GH_TOKEN when GITHUB_TOKEN is unset', async () => {
    const s = await start();
    const env = { ...testEnv(s, null), GH_TOKEN: FAKE_TOKEN };
    const r = await cli(['protect', '--repo', 'octo/app', '--dry-run'], env, await tempDir());
    expect(r.code).toBe(0);
  });

  test('`gh auth token --hostname HOST` when neither is set', async () => {
    const s = await start();
    const dir = await tempDir();
    const gh = await fakeGh(dir, FAKE_TOKEN);
    const env = { ...testEnv(s, null), PATH: `${gh.bin}:/usr/bin:/bin` };
    const r = await cli(['protect', '--repo', 'octo/app', '--dry-run'], env, dir);
    expect(r.code).toBe(0);
    expect(await fsp.readFile(gh.log, 'utf8')).toBe('auth token --hostname 127.0.0.1\n');
    expectNoToken(r.stdout, r.stderr);
  });

  test("no token at all: protect exits 2 with what to set; init's step says skip and how to run it later", async () => {
    const s = await start();
    const dir = await tempDir();
    const r = await cli(['protect', '--repo', 'octo/app'], testEnv(s, null), dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no GitHub token.*GITHUB_TOKEN.*gh auth login/s);
    const intent = protectIntent(options(s, dir, { env: testEnv(s, null) }));
    await expect(intent.plan()).resolves.toMatchObject({
      action: 'skip',
      note: expect.stringMatching(/secure-repo protect/),
    });
    expect(s.requests).toEqual([]);
  });
});

describe.concurrent('init step (protectIntent)', () => {
  test('plan() reads without writing; apply() writes; a later plan() says unchanged', async () => {
    const s = await start();
    const dir = await tempDir();
    const intent = protectIntent(options(s, dir));
    const planned = await intent.plan();
    expect(planned.action).toBe('create');
    expect(planned.detail?.some((d) => d.startsWith('signed-commits: create'))).toBe(true);
    expect(s.writes()).toEqual([]);
    const applied = await intent.apply();
    expect(applied.action).toBe('create');
    expect(s.writes().length).toBeGreaterThan(0);
    const n = s.writes().length;
    const again = await protectIntent(options(s, dir)).plan();
    expect(again.action).toBe('unchanged');
    expect(s.writes().length).toBe(n);
  });

  test('--dry-run lists the requests and sends none', async () => {
    const s = await start();
    const r = await cli(['protect', '--repo', 'octo/app', '--dry-run'], testEnv(s), await tempDir());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/POST \/repos\/\{owner\}\/\{repo\}\/rulesets/);
    expect(r.stdout).toMatch(/Dry run: \d+ setting\(s\) would change/);
    expect(s.writes()).toEqual([]);
  });
});

describe.concurrent('init step under errors', () => {
  test('a 401 during init is a skip with the reason, not a crash, and never the token', async () => {
    const s = await start();
    s.inject({ route: '*', fault: 'unauthorized' });
    const res = await protectIntent(options(s, await tempDir())).plan();
    expect(res.action).toBe('skip');
    expect(res.note).toMatch(/not applied: GitHub rejected the token.*401/);
    expectNoToken(JSON.stringify(res));
  });
});
