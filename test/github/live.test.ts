/**
 * Against a real repository, only when asked: SECURE_REPO_LIVE_REPO=OWNER/NAME (a throwaway repository you admin)
 * and SECURE_REPO_LIVE_TOKEN (its own variable, so a developer's GITHUB_TOKEN is never picked up by accident).
 * Read-only (dry run) unless SECURE_REPO_LIVE_APPLY=1, which applies the policy and checks that a second run
 * sends no write. SECURE_REPO_LIVE_API_URL targets GitHub Enterprise Server.
 */
import os from 'node:os';
import { describe, expect, test } from 'vitest';
import { cli, tempDir } from './helpers.js';

const repo = process.env.SECURE_REPO_LIVE_REPO;
const token = process.env.SECURE_REPO_LIVE_TOKEN;
const apply = process.env.SECURE_REPO_LIVE_APPLY === '1';

describe.skipIf(!repo || !token)('live GitHub', () => {
  const env: NodeJS.ProcessEnv = { PATH: '/usr/bin:/bin', HOME: os.tmpdir(), GITHUB_TOKEN: token };
  if (process.env.SECURE_REPO_LIVE_API_URL) env.GITHUB_API_URL = process.env.SECURE_REPO_LIVE_API_URL;

  test('dry run reads the live settings and plans without writing', async () => {
    const r = await cli(['protect', '--repo', repo!, '--dry-run', '--json'], env, await tempDir());
    expect(r.stdout + r.stderr).not.toContain(token!);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { writes: number; changes: unknown[] };
    expect(report.writes).toBe(0);
    expect(report.changes.length).toBeGreaterThan(10);
  });

  test.runIf(apply)('apply, then a second run sends no write request', async () => {
    const first = await cli(['protect', '--repo', repo!, '--json'], env, await tempDir());
    expect(first.stdout + first.stderr).not.toContain(token!);
    expect([0, 2]).toContain(first.code); // 2: some settings refused by the plan, reported per setting
    const second = await cli(['protect', '--repo', repo!, '--json'], env, await tempDir());
    const report = JSON.parse(second.stdout) as { writes: number };
    expect(report.writes).toBe(0);
  });
});
