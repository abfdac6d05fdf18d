import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClient } from '../../src/github/client.js';
import { readRuns } from '../../src/audit/operate/history.js';
import { Reader } from '../../src/audit/operate/read.js';
import type { GitHubServer } from '../support/github-server.js';
import { operateData, RUN_SEARCH_CAP } from '../support/github-server/operate.js';
import { FAKE_TOKEN, withServer } from '../github/helpers.js';
import { run } from './fixtures.js';

let server: GitHubServer;
const now = new Date();
// GitHub's timestamps are whole seconds.
const hoursAgo = (h: number) => new Date(Math.floor((now.getTime() - h * 3_600_000) / 1000) * 1000);

beforeAll(async () => {
  server = await withServer([{ owner: 'octo', name: 'app' }]);
  const d = operateData(server.repo('octo', 'app'));
  // 2,500 runs over two days, and a burst of 1,200 inside one hour three days ago.
  for (let i = 0; i < 2500; i++)
    d.runs.push(
      run({
        created_at: hoursAgo(0.5 + (i * 47) / 2500)
          .toISOString()
          .replace('.000Z', 'Z'),
      }),
    );
  for (let i = 0; i < 1200; i++)
    d.runs.push(
      run({
        created_at: hoursAgo(72 + i / 2400)
          .toISOString()
          .replace('.000Z', 'Z'),
      }),
    );
});
afterAll(async () => {
  await server.close();
});

const reader = () =>
  new Reader(createClient({ token: FAKE_TOKEN, apiUrl: server.url, timeScale: 0.001 }), 'octo', 'app');

describe('run history paging', () => {
  test('a filtered search stops at 1,000 results however far one pages, as GitHub does', async () => {
    const r = reader();
    const res = await r.client.request('GET /repos/{owner}/{repo}/actions/runs', {
      owner: 'octo',
      repo: 'app',
      created: `>=${hoursAgo(48).toISOString()}`,
      per_page: 100,
      page: 11,
    });
    expect((res.data as { total_count: number }).total_count).toBe(2500);
    expect((res.data as { workflow_runs: unknown[] }).workflow_runs).toEqual([]);
    const first = await r.client.request('GET /repos/{owner}/{repo}/actions/runs', {
      owner: 'octo',
      repo: 'app',
      created: `>=${hoursAgo(48).toISOString()}`,
      per_page: 100,
    });
    expect(String(first.headers.link)).toMatch(/page=10>; rel="last"/);
    expect(RUN_SEARCH_CAP).toBe(1000);
  });

  test('a window over the cap is split until each part fits: all 2,500 runs, each once, by following Link headers', async () => {
    server.requests.length = 0;
    const res = await readRuns(reader(), hoursAgo(48), now, 'Actions: read');
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.truncated).toBe(false);
    expect(res.value.length).toBe(2500);
    expect(new Set(res.value.map((x) => x.id)).size).toBe(2500);
    const windows = new Set(
      server.requests
        .filter((q) => q.operationId === 'actions/list-workflow-runs-for-repo')
        .map((q) => q.query.created),
    );
    expect(windows.size).toBeGreaterThan(2);
    expect(server.requests.some((q) => q.query.page === '2')).toBe(true);
    expect(server.invalid).toEqual([]);
    expect(server.invalidResponses).toEqual([]);
  });

  test('more than 1,000 runs inside one hour: the newest 1,000 are read and the cut is reported', async () => {
    const res = await readRuns(reader(), hoursAgo(72.6), hoursAgo(71.9), 'Actions: read');
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.truncated).toBe(true);
    expect(res.value.length).toBe(1000);
  });
});
