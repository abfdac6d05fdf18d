import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sample } from '../support/github-server/skeleton.js';
import { cli } from '../github/helpers.js';
import {
  user,
  ago,
  alertCode,
  alertDependabot,
  alertSecret,
  deployKey,
  environment,
  found,
  hook,
  invitation,
  job,
  mergedPull,
  nextId,
  push,
  quietRepository,
  run,
  runner,
  sha,
  type OperateCheck,
  type Quiet,
} from './fixtures.js';
import { BENIGN_PUSH_YML, BENIGN_YML, OURS_YML, RISKY_YML } from './risky.js';

/**
 * One repository, three audits: quiet plus every benign look-alike (clean), then every injected event at once, each
 * of which must be found by its own detection, pointing at that event.
 */
let q: Quiet;
let benign: OperateCheck[];
let events: OperateCheck[];
let eventsCode: number;
let eventsAll: OperateCheck[];

const write = (rel: string, text: string) =>
  fsp
    .mkdir(path.dirname(path.join(q.dir, rel)), { recursive: true })
    .then(() => fsp.writeFile(path.join(q.dir, rel), text));

beforeAll(async () => {
  q = await quietRepository();
  const d = q.data;
  const seed = await q.audit(); // learns the (actor, event, workflow) combinations
  expect(found(seed.checks)).toEqual([]);

  // ---- benign look-alikes
  await write('.github/workflows/benign.yml', BENIGN_YML);
  await write('.github/workflows/deploy-box.yml', BENIGN_PUSH_YML);
  await write('.github/workflows/secure-repo-audit.yml', OURS_YML(true));
  await write(
    '.github/workflows/secure-repo-scorecard.yml',
    OURS_YML(true).replace('secure-repo audit', 'secure-repo scorecard'),
  );
  d.workflows.push(
    sample('workflow', {
      id: 3,
      name: 'secure-repo audit',
      path: '.github/workflows/secure-repo-audit.yml',
      state: 'active',
    }),
  );
  d.workflows.push(
    sample('workflow', {
      id: 4,
      name: 'secure-repo scorecard',
      path: '.github/workflows/secure-repo-scorecard.yml',
      state: 'active',
    }),
  );
  d.runs.push(run({ path: '.github/workflows/secure-repo-audit.yml', event: 'schedule', created_at: ago(20) }));
  d.runs.push(run({ path: '.github/workflows/secure-repo-scorecard.yml', event: 'schedule', created_at: ago(22) }));
  d.runs.push(
    run({
      event: 'pull_request_target',
      path: '.github/workflows/benign.yml',
      actor: 'dev',
      head_branch: 'feature',
      created_at: ago(1),
    }),
  );
  d.runs.push(run({ event: 'workflow_dispatch', path: '.github/workflows/nightly.yml', created_at: ago(1) }));
  d.runs.push(run({ event: 'pull_request', actor: 'dev', head_branch: 'feature-2', created_at: ago(1) }));
  const rerun = run({
    actor: 'dependabot[bot]',
    triggering: 'octo',
    run_attempt: 2,
    event: 'pull_request',
    head_branch: 'dependabot/npm/x',
    created_at: ago(1),
  });
  d.runs.push(rerun);
  const box = run({ path: '.github/workflows/deploy-box.yml', created_at: ago(1) });
  d.runs.push(box);
  d.jobs.set(box.id as number, [
    job(box.id as number, {
      name: 'deploy',
      labels: ['self-hosted', 'linux'],
      runner_name: 'build-1',
      runner_group_name: 'Default',
    }),
  ]);
  d.runners.push(runner('build-1'));
  d.ruleSuites.push({
    id: nextId(),
    actor_name: 'octo',
    before_sha: sha(1),
    after_sha: sha(2),
    ref: 'refs/heads/main',
    pushed_at: ago(1),
    result: 'pass',
    evaluation_result: 'pass',
  });
  d.activity.push(push({ after: sha(300), type: 'force_push', ref: 'refs/heads/feature', timestamp: ago(1) }));
  const after = sha(301);
  d.activity.push(push({ after, timestamp: ago(1) }));
  d.commitPulls.set(after, [mergedPull(after)]);
  environment(q, 'production', true);
  d.secretAlerts = [alertSecret()];
  d.codeAlerts = [alertCode({ created_at: ago(48) })];
  d.dependabotAlerts = [
    alertDependabot({
      state: 'dismissed',
      dismissed_at: ago(24 * 30),
      dismissed_by: user('dev'),
      dismissed_reason: 'tolerable_risk',
    }),
  ];
  // The look-alikes are reviewed: the baseline records the new files, the runner and the environment.
  const wb = await cli(['audit', '--write-baseline'], q.env, q.dir);
  expect(wb.code).toBe(0);
  benign = (await q.audit()).checks;

  // ---- the events
  d.runs.push(
    run({
      event: 'pull_request_target',
      path: '.github/workflows/benign.yml',
      fork: 'evil/app',
      head_branch: 'patch-1',
      actor: 'evil',
      created_at: ago(0.5),
    }),
  );
  d.runs.push(
    run({
      event: 'workflow_dispatch',
      path: '.github/workflows/nightly.yml',
      actor: 'github-actions[bot]',
      created_at: ago(0.5),
    }),
  );
  d.runs.push(run({ actor: 'dev', triggering: 'mallory', run_attempt: 2, created_at: ago(0.5), head_branch: 'main' }));
  d.runs.push(run({ event: 'push', path: '.github/workflows/exfil.yml', head_branch: 'exfil', created_at: ago(0.5) }));
  d.runs.push(run({ event: 'pull_request', actor: 'newbie', head_branch: 'first', created_at: ago(0.5) }));
  const hostile = run({
    event: 'pull_request_target',
    path: '.github/workflows/benign.yml',
    fork: 'evil/other',
    head_branch: 'x',
    actor: 'evil',
    created_at: ago(0.4),
  });
  d.runs.push(hostile);
  d.jobs.set(hostile.id as number, [
    job(hostile.id as number, {
      name: 'label',
      labels: ['self-hosted'],
      runner_name: 'build-1',
      runner_group_name: 'Default',
    }),
  ]);
  const puller = run({ created_at: ago(0.3) });
  d.runs.push(puller);
  const pj = job(puller.id as number, { name: 'test' });
  d.jobs.set(puller.id as number, [pj]);
  d.logs.set(pj.id as number, `${ago(0.3)} ##[command]/usr/bin/docker pull ghcr.io/evil/miner:1\n`);
  await write('.github/workflows/risky.yml', RISKY_YML);
  await write('Dockerfile', 'FROM evil.io/miner:latest\n');
  d.ruleSuites.push({
    id: nextId(),
    actor_name: 'admin-x',
    before_sha: sha(3),
    after_sha: sha(4),
    ref: 'refs/heads/main',
    pushed_at: ago(0.5),
    result: 'bypass',
    evaluation_result: 'fail',
  });
  d.activity.push(push({ after: sha(400), timestamp: ago(0.5), login: 'mallory' }));
  d.activity.push(push({ after: sha(401), type: 'force_push', timestamp: ago(0.5), login: 'mallory' }));
  d.keys.push(deployKey({ title: 'laptop', read_only: false, last_used: null, created_at: ago(1) }));
  d.hooks.push(hook({ url: 'https://exfil.example.net/c', secret: false, created_at: ago(1) }));
  q.repo.people.push({ login: 'intruder', role: 'admin' }, { login: 'contractor', role: 'write', outside: true });
  d.invitations.push(invitation('friend'));
  d.runners.push(runner('xyz-1337'));
  environment(q, 'staging', false);
  d.secrets.push(sample('actions-secret', { name: 'EXFIL', created_at: ago(1), updated_at: ago(1) }));
  q.repo.actions.allowed_actions = 'all';
  d.forkApproval = 'first_time_contributors_new_to_github';
  d.workflows.find((w) => w.id === 3)!.state = 'disabled_manually';
  d.runs = d.runs.filter((r) => r.path !== '.github/workflows/secure-repo-scorecard.yml');
  d.runs.push(
    run({ path: '.github/workflows/secure-repo-scorecard.yml', event: 'schedule', created_at: ago(24 * 20) }),
  );
  await write('.github/workflows/secure-repo-audit.yml', OURS_YML(false));
  d.secretAlerts.push(
    alertSecret({
      push_protection_bypassed: true,
      push_protection_bypassed_by: user('mallory'),
      push_protection_bypassed_at: ago(0.5),
    }),
  );
  d.dependabotAlerts.push(
    alertDependabot({
      state: 'dismissed',
      dismissed_at: ago(0.5),
      dismissed_by: user('mallory'),
      dismissed_reason: 'inaccurate',
    }),
  );
  d.codeAlerts.push(alertCode({ created_at: ago(24 * 20) }));
  const r = await q.audit();
  events = r.checks;
  eventsCode = r.code;
  eventsAll = r.all;
}, 120_000);

afterAll(async () => {
  await q?.close();
});

/** Each detection, and what in its finding shows it is about the injected event. */
const CASES: [string, RegExp][] = [
  ['run-privileged-from-fork', /evil\/app/],
  ['run-dispatch-unusual', /github-actions\[bot\]/],
  ['run-triggering-actor-differs', /mallory/],
  ['run-workflow-not-on-default-branch', /exfil\.yml/],
  ['run-first-seen', /newbie/],
  ['run-self-hosted-untrusted', /build-1.*evil\/other|evil\/other/],
  ['workflow-dangerous-trigger', /risky\.yml \(job build-head\)/],
  ['workflow-script-injection', /risky\.yml \(job greet\)/],
  ['workflow-unpinned-uses', /risky\.yml \(job tagged\)/],
  ['workflow-unpinned-image', /risky\.yml \(job service\)/],
  ['workflow-persist-credentials', /risky\.yml \(job creds\)/],
  ['workflow-secrets-inherit', /risky\.yml \(job inherit\)/],
  ['workflow-self-hosted-pr', /risky\.yml \(job box\)/],
  ['workflow-no-hardening', /risky\.yml \(job bare\)/],
  ['workflow-unknown-file', /risky\.yml/],
  ['bypass-rule-suite', /admin-x|refs\/heads\/main/],
  ['bypass-direct-push', /mallory|4{0}/],
  ['bypass-force-push', /mallory/],
  ['access-deploy-key', /laptop/],
  ['access-webhook', /exfil\.example\.net/],
  ['access-collaborator', /intruder|friend/],
  ['access-runner', /xyz-1337/],
  ['access-environment', /staging/],
  ['access-secret', /EXFIL/],
  ['actions-settings-drift', /approval_policy|first-time contributors/],
  ['control-workflow-disabled', /secure-repo-audit\.yml/],
  ['control-workflow-stale', /secure-repo-scorecard\.yml/],
  ['control-hardening-removed', /secure-repo-audit\.yml \(job posture-audit\)/],
  ['image-not-allowed', /evil\.io\/miner/],
  ['image-pulled-unexpected', /job test of run/],
  ['alert-push-protection-bypass', /mallory/],
  ['alert-dismissed', /mallory/],
  ['alert-past-sla', /code-scanning alert/],
];

describe('each Operate detection', () => {
  test('the benign look-alikes audit clean, and every detection looked', () => {
    expect(found(benign)).toEqual([]);
    expect(benign.filter((c) => c.status === 'not-checked')).toEqual([]);
    expect(q.server.invalid).toEqual([]);
    expect(q.server.invalidResponses).toEqual([]);
  });

  test('the table covers every detection in the catalogue', async () => {
    const { DETECTIONS } = await import('../../src/audit/operate/catalog.js');
    expect(CASES.map(([id]) => id).sort()).toEqual(DETECTIONS.map((d) => d.id).sort());
  });

  test.each(CASES)('%s fires on its injected event', (id, about) => {
    const hits = found(events).filter((c) => c.id === id);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.some((c) => about.test(`${c.target} ${c.message}`))).toBe(true);
  });

  test('the events fail the audit (exit 1); nothing benign is among the findings', () => {
    expect(eventsCode).toBe(1);
    expect(eventsAll.filter((c) => c.status === 'fail').some((c) => c.area === 'runs')).toBe(true);
    const text = found(events)
      .map((c) => `${c.target} ${c.message}`)
      .join('\n');
    for (const quiet of [
      'benign.yml (job',
      'deploy-box.yml',
      'refs/heads/feature ',
      'dependabot[bot]',
      'hooks.example.com',
      'environment production',
      'NPM_TOKEN was',
      'build-1 is not',
    ])
      expect(text).not.toContain(quiet);
    expect(q.server.invalid).toEqual([]);
    expect(q.server.invalidResponses).toEqual([]);
  });
});
