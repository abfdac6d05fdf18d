import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli } from '../github/helpers.js';
import { ago, exitFor, found, hook, job, quietRepository, run, runner, type Quiet } from './fixtures.js';

const open: Quiet[] = [];
afterAll(async () => {
  await Promise.all(open.map((q) => q.close()));
});
async function quiet(): Promise<Quiet> {
  const q = await quietRepository();
  open.push(q);
  expect(found((await q.audit()).checks)).toEqual([]);
  return q;
}

describe('replays of real incidents', () => {
  test('a worm pushes a workflow on a branch, runs it on a self-hosted runner with an odd name and adds a webhook', async () => {
    const q = await quiet();
    const d = q.data;
    // The workflow file exists only on the worm's branch: the default-branch checkout never sees it.
    const r = run({
      event: 'push',
      path: '.github/workflows/shai-hulud-workflow.yml',
      head_branch: 'shai-hulud',
      actor: 'dev',
      created_at: ago(0.5),
    });
    d.runs.push(r);
    d.jobs.set(r.id as number, [
      job(r.id as number, {
        name: 'data',
        labels: ['self-hosted'],
        runner_name: 'SHA1HULUD',
        runner_group_name: 'Default',
      }),
    ]);
    d.runners.push(runner('SHA1HULUD'));
    d.hooks.push(
      hook({ url: 'https://webhook.site/bb8ca5f6-4175-45d2-b042-fc9ebb8170b7', secret: false, created_at: ago(0.5) }),
    );
    const res = await q.audit();
    expect(res.code).toBe(exitFor(res.all));
    expect(res.code).toBe(1);
    const hits = found(res.checks);
    const ids = new Set(hits.map((c) => c.id));
    for (const id of [
      'run-workflow-not-on-default-branch',
      'run-self-hosted-untrusted',
      'access-runner',
      'access-webhook',
    ])
      expect(ids).toContain(id);
    expect(hits.find((c) => c.id === 'run-workflow-not-on-default-branch')!.message).toMatch(
      /shai-hulud-workflow\.yml ran \(push on shai-hulud\)/,
    );
    expect(hits.find((c) => c.id === 'access-webhook')!.message).toMatch(
      /webhook\.site.*not in the baseline.*no secret/,
    );
    expect(hits.find((c) => c.id === 'run-self-hosted-untrusted')!.message).toMatch(/SHA1HULUD/);
    // The SIEM record carries the audit-log action name detection content keys on.
    expect(hits.find((c) => c.id === 'access-runner')!.evidence?.audit_action).toBe('repo.register_self_hosted_runner');
    expect(hits.find((c) => c.id === 'access-webhook')!.evidence?.audit_action).toBe('hook.create');
  });

  test('a compromise dispatches the publish workflow as github-actions[bot]', async () => {
    const q = await quiet();
    await fsp.writeFile(
      path.join(q.dir, '.github', 'workflows', 'nightly.yml'),
      await fsp.readFile(path.join(q.dir, '.github', 'workflows', 'nightly.yml'), 'utf8'),
    );
    q.data.runs.push(
      run({
        event: 'workflow_dispatch',
        path: '.github/workflows/nightly.yml',
        actor: 'github-actions[bot]',
        triggering: 'github-actions[bot]',
        created_at: ago(0.2),
      }),
    );
    const res = await q.audit(['--ocsf', path.join(q.dir, 'ocsf.jsonl')]);
    expect(res.code).toBe(exitFor(res.all));
    expect(res.code).toBe(1);
    const hit = found(res.checks).find((c) => c.id === 'run-dispatch-unusual');
    expect(hit?.message).toBe('workflow_dispatch of .github/workflows/nightly.yml by the bot github-actions[bot]');
    const lines = (await fsp.readFile(path.join(q.dir, 'ocsf.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const rec = lines.find(
      (l) => (l.finding_info as { analytic: { uid: string } }).analytic.uid === 'run-dispatch-unusual',
    )!;
    expect(rec).toMatchObject({
      class_uid: 2004,
      class_name: 'Detection Finding',
      activity_id: 1,
      type_uid: 200401,
      actor: { user: { name: 'github-actions[bot]' } },
    });
    expect((rec.finding_info as { uid: string }).uid).toBe(hit!.evidence!.uid);
  });
});

describe('a token without a permission', () => {
  test('each refused read is "not checked: needs X", never a pass, and the rest of the audit still runs', async () => {
    const q = await quiet();
    q.data.deny.set('repos/list-webhooks', 'repository_hooks=read');
    q.data.deny.set('actions/list-workflow-runs-for-repo', 'actions=read');
    q.data.deny.set('repos/get-repo-rule-suites', '');
    const res = await q.audit();
    expect(res.code).toBe(exitFor(res.all));
    expect(found(res.checks)).toEqual([]);
    const byId = new Map(res.checks.map((c) => [c.id, c]));
    expect(byId.get('access-webhook')).toMatchObject({ status: 'not-checked', needs: 'Repository hooks: read' });
    expect(byId.get('run-dispatch-unusual')).toMatchObject({ status: 'not-checked', needs: 'Actions: read' });
    expect(byId.get('run-first-seen')).toMatchObject({ status: 'not-checked' });
    // No header: the permission the detection declares.
    expect(byId.get('bypass-rule-suite')).toMatchObject({ status: 'not-checked', needs: 'Administration: read' });
    expect(
      res.checks.filter(
        (c) => ['access-webhook', 'run-dispatch-unusual', 'bypass-rule-suite'].includes(c.id) && c.status === 'pass',
      ),
    ).toEqual([]);
    expect(byId.get('access-deploy-key')?.status).toBe('pass');
    const text = await cli(['audit', '--no-state'], q.env, q.dir);
    expect(text.stdout).toMatch(/\? .*webhook.*: not checked: needs Repository hooks: read/);
    expect(text.stderr).toBe('');
  });

  test('a denied first audit does not move the activity clock: nothing is skipped once the permission is granted', async () => {
    const q = await quiet();
    const state = path.join(q.dir, '.git', 'secure-repo', 'audit-state.json');
    const before = JSON.parse(await fsp.readFile(state, 'utf8')) as { lastRun: string };
    q.data.deny.set('actions/list-workflow-runs-for-repo', 'actions=read');
    await q.audit();
    expect((JSON.parse(await fsp.readFile(state, 'utf8')) as { lastRun: string }).lastRun).toBe(before.lastRun);
  });
});
