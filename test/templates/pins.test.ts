import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { CommandContext } from '../../src/core/context.js';
import { loadPins, REPO_PINS_FILE } from '../../src/templates/pins.js';
import { execFile } from 'node:child_process';
import { CLI, tempRepo, type TempRepo } from '../support/repo.js';

const TOKEN = 'ghp_testtoken_never_printed_0123456789abcd';
const NEW_CHECKOUT = 'a'.repeat(40);
const TAG_OBJECT = 'b'.repeat(40);
const PEELED_CODEQL = 'c'.repeat(40);

/**
 * A small stand-in for the three GitHub endpoints pins --update calls. actions/checkout moved its tag
 * (lightweight), codeql-action's tag is annotated (tag object → commit), zaproxy's tag is gone (404);
 * every other tag resolves to the SHA we already have.
 */
function fakeApi(requests: { path: string; auth: string | undefined }[], status = 200): Server {
  const bundled = loadPins().file.actions;
  return createServer((req: IncomingMessage, res) => {
    const url = req.url ?? '';
    requests.push({ path: url, auth: req.headers.authorization });
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (status !== 200) return send(status, { message: 'Bad credentials' });
    let m = /^\/api\/v3\/repos\/([^/]+\/[^/]+)\/git\/ref\/tags\/(.+)$/.exec(url);
    if (m) {
      const [, repo, tag] = m;
      if (repo === 'actions/checkout') return send(200, { object: { sha: NEW_CHECKOUT, type: 'commit' } });
      if (repo === 'github/codeql-action') return send(200, { object: { sha: TAG_OBJECT, type: 'tag' } });
      if (repo === 'zaproxy/action-baseline') return send(404, { message: 'Not Found' });
      const entry = bundled.find((a) => a.uses.startsWith(`${repo}`) && a.tag === decodeURIComponent(tag!));
      return entry ? send(200, { object: { sha: entry.sha, type: 'commit' } }) : send(404, { message: 'Not Found' });
    }
    m = /^\/api\/v3\/repos\/github\/codeql-action\/git\/tags\/([0-9a-f]{40})$/.exec(url);
    if (m && m[1] === TAG_OBJECT) return send(200, { object: { sha: PEELED_CODEQL, type: 'commit' } });
    m = /^\/api\/v3\/repos\/([^/]+\/[^/]+)\/releases\/latest$/.exec(url);
    if (m) return send(200, { tag_name: m[1] === 'actions/checkout' ? 'v9.9.9' : 'v0.0.0-missing' });
    send(404, { message: 'Not Found' });
  });
}

function ctxFor(repo: TempRepo, env: NodeJS.ProcessEnv) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const ctx: CommandContext = { cwd: repo.dir, env, stdin: new PassThrough(), stdout: out, stderr: err, interactive: false, version: '0.0.0-test' };
  return { ctx, output: () => ({ stdout, stderr }) };
}

describe('secure-repo pins', () => {
  let repo: TempRepo;
  let server: Server;
  let apiUrl: string;
  const requests: { path: string; auth: string | undefined }[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    repo = tempRepo();
    // core/git runs git with process.env: point it at the isolated HOME and config too.
    Object.assign(process.env, { HOME: repo.home, GIT_CONFIG_GLOBAL: repo.env.GIT_CONFIG_GLOBAL, GIT_CONFIG_NOSYSTEM: '1' });
    server = fakeApi(requests);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`;
  });
  afterAll(() => {
    server.close();
    process.env = saved;
    repo.cleanup();
  });

  test('lists the bundled pins outside a refreshed repository', async () => {
    const { ctx, output } = ctxFor(repo, repo.env);
    expect(await run(['pins'], ctx)).toBe(0);
    expect(output().stdout).toContain('data/action-pins.json');
    expect(output().stdout).toMatch(/actions\/checkout\s+v7\.0\.1\s+3d3c42e5aac5ba805825da76410c181273ba90b1/);
  });

  test('--update re-resolves tags, peels annotated tags, keeps failures, never prints the token', async () => {
    const { ctx, output } = ctxFor(repo, { ...repo.env, GITHUB_TOKEN: TOKEN });
    const code = await run(['pins', '--update', '--api-url', apiUrl], ctx);
    const { stdout, stderr } = output();
    expect(code).toBe(1); // zaproxy's tag could not be resolved
    expect(stdout + stderr).not.toContain(TOKEN);
    expect(requests.every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true);
    // One request per repository and tag, plus one to peel the annotated tag.
    expect(requests.filter((r) => r.path.includes('github/codeql-action/git/ref/tags/'))).toHaveLength(1);
    expect(requests.some((r) => r.path === `/api/v3/repos/github/codeql-action/git/tags/${TAG_OBJECT}`)).toBe(true);

    const written = JSON.parse(readFileSync(path.join(repo.dir, REPO_PINS_FILE), 'utf8')) as { actions: { uses: string; sha: string; pinLine?: string }[] };
    const sha = (uses: string) => written.actions.find((a) => a.uses === uses)!.sha;
    expect(sha('actions/checkout')).toBe(NEW_CHECKOUT);
    expect(written.actions.find((a) => a.uses === 'actions/checkout')!.pinLine).toBe(`actions/checkout@${NEW_CHECKOUT} # v7.0.1`);
    for (const sub of ['init', 'analyze', 'upload-sarif', 'autobuild']) expect(sha(`github/codeql-action/${sub}`)).toBe(PEELED_CODEQL);
    expect(sha('zaproxy/action-baseline')).toBe('de8ad967d3548d44ef623df22cf95c3b0baf8b25');
    expect(sha('step-security/harden-runner')).toBe('b09bb98e06d4d774595224525879c09bc6e98c40');
    const resolvable = loadPins().file.actions.filter((a) => a.tag).length;
    expect(stdout).toContain(`5 updated, ${resolvable - 6} unchanged, 1 failed.`);
    expect(stdout).toMatch(/failed: not found/);

    // The renderer now prefers the repository's copy.
    const pins = loadPins(repo.dir);
    expect(pins.source).toBe(path.join(repo.dir, REPO_PINS_FILE));
    expect(pins.ref('actions/checkout')).toBe(`actions/checkout@${NEW_CHECKOUT}`);
    const { ctx: ctx2, output: out2 } = ctxFor(repo, repo.env);
    expect(await run(['pins', '--json'], ctx2)).toBe(0);
    expect(JSON.parse(out2().stdout).source).toBe(path.join(repo.dir, REPO_PINS_FILE));
  });

  test('--update --latest moves to the latest release tag', async () => {
    const out = path.join(repo.home, 'latest.json');
    const { ctx } = ctxFor(repo, repo.env);
    await run(['pins', '--update', '--latest', '--api-url', apiUrl, '--output', out], ctx);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { actions: { uses: string; tag: string }[] };
    expect(written.actions.find((a) => a.uses === 'actions/checkout')!.tag).toBe('v9.9.9');
  });

  test('a refused token is a one-paragraph exit-2 error that does not echo the token', async () => {
    const bad = fakeApi([], 401);
    await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(bad.address() as AddressInfo).port}/api/v3`;
    const { ctx, output } = ctxFor(repo, { ...repo.env, GH_TOKEN: TOKEN });
    expect(await run(['pins', '--update', '--api-url', url, '--output', path.join(repo.home, 'x.json')], ctx)).toBe(2);
    bad.close();
    expect(output().stderr).toMatch(/refused the token \(401\)/);
    expect(output().stderr).not.toContain(TOKEN);
    expect(output().stderr.trim().split('\n')).toHaveLength(1);
  });

  test('a refreshed copy that lacks an action falls back to the shipped pin; a malformed one is an exit-2 error', async () => {
    const other = tempRepo();
    try {
      other.write({ [REPO_PINS_FILE]: JSON.stringify({ actions: [{ uses: 'actions/checkout', tag: 'v7.0.1', sha: NEW_CHECKOUT }] }) });
      const pins = loadPins(other.dir);
      expect(pins.ref('actions/checkout')).toBe(`actions/checkout@${NEW_CHECKOUT}`);
      expect(pins.ref('step-security/harden-runner')).toBe('step-security/harden-runner@b09bb98e06d4d774595224525879c09bc6e98c40');
      other.write({ [REPO_PINS_FILE]: '{"actions": [' });
      const { ctx, output } = ctxFor(other, other.env);
      expect(await run(['pins'], ctx)).toBe(2);
      expect(output().stderr).toMatch(/action-pins\.json: not valid JSON/);
    } finally {
      other.cleanup();
    }
  });

  test('the installed program (a real process) updates pins without printing the token', async () => {
    const out = path.join(repo.home, 'spawned.json');
    // Asynchronous on purpose: the fake API lives in this process and must keep answering.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [CLI, 'pins', '--update', '--api-url', apiUrl, '--output', out], { cwd: repo.dir, env: { ...repo.env, GITHUB_TOKEN: TOKEN } }, (err, stdout, stderr) =>
        resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(JSON.parse(readFileSync(out, 'utf8')).actions.find((a: { uses: string }) => a.uses === 'actions/checkout').sha).toBe(NEW_CHECKOUT);
  });

  test('usage errors exit 2', async () => {
    const { ctx } = ctxFor(repo, repo.env);
    expect(await run(['pins', '--latest'], ctx)).toBe(2);
    expect(await run(['pins', '--bogus'], ctx)).toBe(2);
  });
});
