/**
 * A quiet repository for the Operate audit: a git work tree whose workflows are hardened and pinned, and a GitHub
 * stand-in whose history is all ordinary (maintainer pushes through merged pull requests, scheduled and PR runs,
 * one read-only deploy key, a webhook with a secret). Tests add one event at a time to it.
 */
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { GitHubServer, RepoState } from '../support/github-server.js';
import { operateData, type OperateData } from '../support/github-server/operate.js';
import { sample } from '../support/github-server/skeleton.js';
import { cli, FAKE_TOKEN, tempDir, testEnv, withServer } from '../github/helpers.js';

type Json = Record<string, unknown>;

export const OWNER = 'octo';
export const NAME = 'app';
export const REPO = `${OWNER}/${NAME}`;
export const HARDEN = 'step-security/harden-runner@b09bb98e06d4d774595224525879c09bc6e98c40';
export const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1';
export const NODE_DIGEST = `sha256:${'a'.repeat(64)}`;

export const CI_YML = `name: ci
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - uses: ${HARDEN}
        with:
          egress-policy: audit
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
      - name: Test
        env:
          TITLE: \${{ github.event.pull_request.title }}
        run: echo "$TITLE" && npm test
`;

export const NIGHTLY_YML = `name: nightly
on:
  schedule:
    - cron: '0 3 * * *'
  workflow_dispatch:
permissions: {}
jobs:
  build:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    container:
      image: node:22@${NODE_DIGEST}
    steps:
      - uses: ${HARDEN}
      - uses: ${CHECKOUT}
        with:
          persist-credentials: false
      - run: npm ci && npm run build
`;

const now = Date.now();
export const ago = (hours: number) => new Date(now - hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
let seq = 7000;
export const nextId = () => seq++;
export const sha = (n: number) => n.toString(16).padStart(40, 'c');

export function run(
  over: Json & {
    path?: string;
    event?: string;
    actor?: string;
    head_branch?: string;
    triggering?: string;
    fork?: string;
  },
): Json {
  const id = nextId();
  const { actor = OWNER, triggering, fork, ...rest } = over;
  const user = (login: string) =>
    sample('simple-user', { login, id: login.length * 97, type: login.endsWith('[bot]') ? 'Bot' : 'User' });
  const headRepo = fork ?? REPO;
  return sample('workflow-run', {
    id,
    run_number: id,
    run_attempt: 1,
    name: 'ci',
    display_title: 'run',
    event: 'push',
    status: 'completed',
    conclusion: 'success',
    head_branch: 'main',
    head_sha: sha(id),
    path: '.github/workflows/ci.yml',
    created_at: ago(2),
    updated_at: ago(2),
    html_url: `https://github.com/${REPO}/actions/runs/${id}`,
    actor: user(actor),
    triggering_actor: user(triggering ?? actor),
    head_repository: { full_name: headRepo, fork: headRepo !== REPO },
    repository: { full_name: REPO },
    pull_requests: [],
    ...rest,
  });
}

export function job(runId: number, over: Json = {}): Json {
  const id = nextId();
  return sample('job', {
    id,
    run_id: runId,
    name: 'test',
    status: 'completed',
    conclusion: 'success',
    started_at: ago(2),
    created_at: ago(2),
    html_url: `https://github.com/${REPO}/actions/runs/${runId}/job/${id}`,
    labels: ['ubuntu-24.04'],
    runner_name: 'GitHub Actions 12',
    runner_group_name: 'GitHub Actions',
    steps: [],
    ...over,
  });
}

export function push(over: Json & { after: string; type?: string; login?: string }): Json {
  const { type = 'push', login = OWNER, ...rest } = over;
  return sample('activity', {
    id: nextId(),
    node_id: 'A',
    before: sha(1),
    ref: 'refs/heads/main',
    timestamp: ago(3),
    activity_type: type,
    actor: sample('nullable-simple-user', { login, id: 9 }),
    ...rest,
  });
}

export function mergedPull(mergeSha: string): Json {
  return sample('pull-request-simple', {
    number: nextId(),
    merged_at: ago(3),
    merge_commit_sha: mergeSha,
    state: 'closed',
  });
}

export function hook(over: Json & { url: string; secret?: boolean; insecure?: boolean }): Json {
  const { url, secret = true, insecure = false, ...rest } = over;
  return sample('hook', {
    id: nextId(),
    name: 'web',
    active: true,
    events: ['push'],
    created_at: ago(48),
    updated_at: ago(48),
    config: {
      url,
      content_type: 'json',
      insecure_ssl: insecure ? '1' : '0',
      ...(secret ? { secret: '********' } : {}),
    },
    ...rest,
  });
}

export function deployKey(over: Json = {}): Json {
  return sample('deploy-key', {
    id: nextId(),
    key: 'ssh-ed25519 AAAA',
    title: 'ci-read',
    verified: true,
    created_at: ago(24 * 10),
    read_only: true,
    last_used: ago(24),
    ...over,
  });
}

function git(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('git', args, { cwd, env }, (err) => (err ? reject(new Error(err.message)) : resolve())),
  );
}

export interface Quiet {
  dir: string;
  server: GitHubServer;
  repo: RepoState;
  data: OperateData;
  env: NodeJS.ProcessEnv;
  /** Runs `secure-repo audit` in-process with JSON output and returns the Operate checks. */
  audit(
    extra?: string[],
  ): Promise<{ code: number; checks: OperateCheck[]; all: OperateCheck[]; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

export interface OperateCheck {
  id: string;
  area: string;
  status: string;
  target: string;
  message: string;
  needs?: string;
  evidence?: Record<string, unknown>;
}

const OPERATE_AREAS = new Set([
  'workflows',
  'runs',
  'bypasses',
  'access',
  'actions-settings',
  'controls',
  'images',
  'alerts',
]);

export async function quietRepository(): Promise<Quiet> {
  const server = await withServer([{ owner: OWNER, name: NAME, ownerType: 'Organization', collaborators: 2 }]);
  const repo = server.repo(OWNER, NAME);
  repo.workflow = { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false };
  const data = operateData(repo);
  repo.people = [
    { login: OWNER, role: 'admin' },
    { login: 'dev', role: 'write' },
  ];
  repo.actions = { enabled: true, allowed_actions: 'selected', sha_pinning_required: true };
  // Everyday history: pushes through merged pull requests, CI on them, the nightly build, a PR from a branch.
  for (let i = 0; i < 3; i++) {
    const after = sha(100 + i);
    data.activity.push(push({ after, timestamp: ago(5 + i), type: 'pr_merge' }));
    data.activity.push(push({ after: sha(200 + i), timestamp: ago(6 + i) }));
    data.commitPulls.set(sha(200 + i), [mergedPull(sha(200 + i))]);
    const r = run({ head_sha: after, created_at: ago(5 + i) });
    data.runs.push(r);
    data.jobs.set(r.id as number, [job(r.id as number)]);
  }
  const nightly = run({ path: '.github/workflows/nightly.yml', event: 'schedule', created_at: ago(10) });
  data.runs.push(nightly);
  const nj = job(nightly.id as number, { name: 'build' });
  data.jobs.set(nightly.id as number, [nj]);
  data.logs.set(
    nj.id as number,
    `${ago(10)} ##[command]/usr/bin/docker pull node:22@${NODE_DIGEST}\n${ago(10)} Digest: ${NODE_DIGEST}\n`,
  );
  data.runs.push(run({ event: 'pull_request', actor: 'dev', head_branch: 'feature', created_at: ago(12) }));
  data.runs.push(
    run({
      path: 'dynamic/dependabot/dependabot-updates',
      event: 'dynamic',
      actor: 'dependabot[bot]',
      created_at: ago(20),
    }),
  );
  data.workflows = [
    sample('workflow', { id: 1, name: 'ci', path: '.github/workflows/ci.yml', state: 'active' }),
    sample('workflow', { id: 2, name: 'nightly', path: '.github/workflows/nightly.yml', state: 'active' }),
  ];
  data.keys = [deployKey()];
  data.hooks = [hook({ url: 'https://hooks.example.com/github' })];
  data.secrets = [sample('actions-secret', { name: 'NPM_TOKEN', created_at: ago(500), updated_at: ago(500) })];

  const home = await tempDir('secure-repo-operate-home-');
  const gitEnv = {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'T',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 'T',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
  const dir = path.join(await tempDir('secure-repo-operate-'), NAME);
  await fsp.mkdir(path.join(dir, '.github', 'workflows'), { recursive: true });
  await git(['init', '-q', '-b', 'main'], dir, gitEnv);
  await fsp.writeFile(path.join(dir, '.github', 'workflows', 'ci.yml'), CI_YML);
  await fsp.writeFile(path.join(dir, '.github', 'workflows', 'nightly.yml'), NIGHTLY_YML);
  await fsp.writeFile(
    path.join(dir, 'Dockerfile'),
    `ARG BASE=node:22@${NODE_DIGEST}\nFROM \${BASE} AS build\nRUN npm ci\nFROM build\nCMD ["node", "index.js"]\n`,
  );
  await git(['add', '.'], dir, gitEnv);
  await git(['commit', '-qm', 'first'], dir, gitEnv);
  await git(['remote', 'add', 'origin', `https://github.com/${REPO}.git`], dir, gitEnv);

  const env = { ...testEnv(server), PATH: process.env.PATH, CI: 'true' };
  const q: Quiet = {
    dir,
    server,
    repo,
    data,
    env,
    async audit(extra = []) {
      const r = await cli(['audit', '--format', 'json', ...extra], env, dir);
      const all = r.stdout.trim().startsWith('{') ? (JSON.parse(r.stdout) as { checks: OperateCheck[] }).checks : [];
      return { ...r, all, checks: all.filter((c) => OPERATE_AREAS.has(c.area)) };
    },
    close: () => server.close(),
  };
  // The reviewed baseline, as a maintainer would commit it, with an image allow-list.
  const wb = await cli(['audit', '--write-baseline'], env, dir);
  if (wb.code !== 0) throw new Error(`write-baseline failed: ${wb.stderr}`);
  const file = path.join(dir, '.secure-repo', 'operate-baseline.json');
  const baseline = JSON.parse(await fsp.readFile(file, 'utf8')) as Json;
  baseline.images = { allow: ['docker.io/library/node'], requireDigest: true };
  await fsp.writeFile(file, JSON.stringify(baseline, null, 2));
  return q;
}

/** The exit code the contract asks for, given every check of the report (files and hooks included). */
export const exitFor = (all: OperateCheck[]) => (all.some((c) => c.status === 'fail') ? 1 : 0);

/** Checks that found something (fail or warn). */
export const found = (checks: OperateCheck[]) => checks.filter((c) => c.status === 'fail' || c.status === 'warn');
export { FAKE_TOKEN };

export function alertSecret(over: Json = {}): Json {
  return sample('secret-scanning-alert', {
    number: nextId(),
    state: 'open',
    created_at: ago(30),
    html_url: `https://github.com/${REPO}/security/secret-scanning/1`,
    secret_type_display_name: 'npm Access Token',
    push_protection_bypassed: false,
    push_protection_bypassed_by: null,
    push_protection_bypassed_at: null,
    ...over,
  });
}

export function alertCode(over: Json & { severity?: string } = {}): Json {
  const { severity = 'critical', ...rest } = over;
  return sample('code-scanning-alert-items', {
    number: nextId(),
    state: 'open',
    created_at: ago(48),
    html_url: `https://github.com/${REPO}/security/code-scanning/1`,
    dismissed_by: null,
    dismissed_at: null,
    dismissed_reason: null,
    rule: {
      id: 'js/sql-injection',
      severity: 'error',
      security_severity_level: severity,
      description: 'SQL injection',
    },
    ...rest,
  });
}

export function alertDependabot(over: Json & { severity?: string } = {}): Json {
  const { severity = 'high', ...rest } = over;
  return sample('dependabot-alert', {
    number: nextId(),
    state: 'open',
    created_at: ago(48),
    updated_at: ago(48),
    html_url: `https://github.com/${REPO}/security/dependabot/1`,
    dismissed_at: null,
    dismissed_by: null,
    dismissed_reason: null,
    dismissed_comment: null,
    fixed_at: null,
    security_advisory: { severity, summary: 'Prototype pollution' },
    ...rest,
  });
}

export function runner(name: string, over: Json = {}): Json {
  return sample('runner', {
    id: nextId(),
    name,
    os: 'linux',
    status: 'online',
    busy: false,
    labels: [{ id: 1, name: 'self-hosted', type: 'read-only' }],
    ...over,
  });
}

export function invitation(login: string): Json {
  return sample('repository-invitation', {
    id: nextId(),
    permissions: 'admin',
    created_at: ago(1),
    invitee: sample('simple-user', { login, id: 77 }),
    inviter: sample('simple-user', { login: OWNER, id: 1 }),
  });
}

/** An environment record as the main server stores it. */
export function environment(q: Quiet, name: string, reviewers: boolean): void {
  q.repo.environments.set(name.toLowerCase(), {
    id: nextId(),
    name,
    created_at: ago(5),
    updated_at: ago(5),
    wait_timer: 0,
    prevent_self_review: false,
    reviewers: reviewers ? [{ type: 'User', id: 1 }] : [],
    deployment_branch_policy: null,
    branch_policies: [],
  });
}

export const user = (login: string) => sample('simple-user', { login, id: 40 + login.length, type: 'User' });
