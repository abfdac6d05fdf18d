import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli } from '../github/helpers.js';
import { ago, hook, quietRepository, type Quiet } from './fixtures.js';

let q: Quiet | undefined;
afterAll(async () => {
  await q?.close();
});

type Ocsf = {
  class_uid: number;
  activity_id: number;
  activity_name: string;
  type_uid: number;
  status: string;
  finding_info: { uid: string; analytic: { uid: string } };
  compliance?: { status: string };
  unmapped: Record<string, unknown>;
};
const readJsonl = async (file: string) =>
  (await fsp.readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Ocsf);

describe('SIEM and code scanning output', () => {
  test('OCSF lines follow the state: create, update when it changes, close when it is gone; ids match SARIF fingerprints', async () => {
    q = await quietRepository();
    const ocsf = path.join(q.dir, 'out.jsonl');
    const first = await q.audit(['--ocsf', ocsf]);
    expect(first.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(await readJsonl(ocsf)).toEqual([]);

    const h = hook({ url: 'https://hooks.example.com/other', secret: false, created_at: ago(1) });
    q.data.hooks.push(h);
    await q.audit(['--ocsf', ocsf]);
    const created = (await readJsonl(ocsf)).filter((r) => r.finding_info.analytic.uid === 'access-webhook');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      class_uid: 2003,
      activity_id: 1,
      type_uid: 200301,
      status: 'New',
      compliance: { status: 'Fail' },
      unmapped: { github_audit_action: 'hook.create' },
    });
    const uid = created[0]!.finding_info.uid;

    const sarif = JSON.parse((await cli(['audit', '--format', 'sarif', '--no-state'], q.env, q.dir)).stdout) as {
      runs: { results: { ruleId: string; partialFingerprints: Record<string, string> }[] }[];
    };
    expect(
      sarif.runs[0]!.results.find((r) => r.ruleId === 'access-webhook')!.partialFingerprints['secureRepo/v1'],
    ).toBe(uid);

    // Unchanged: no line. Changed: an update of the same uid.
    await q.audit(['--ocsf', ocsf]);
    expect(await readJsonl(ocsf)).toEqual([]);
    (h.config as Record<string, unknown>).insecure_ssl = '1';
    await q.audit(['--ocsf', ocsf]);
    expect(await readJsonl(ocsf)).toEqual([
      expect.objectContaining({ activity_id: 2, type_uid: 200302, finding_info: expect.objectContaining({ uid }) }),
    ]);

    // Fixed: closed, resolved.
    q.data.hooks.pop();
    await q.audit(['--ocsf', ocsf]);
    expect(await readJsonl(ocsf)).toEqual([
      expect.objectContaining({
        activity_id: 3,
        status: 'Resolved',
        compliance: expect.objectContaining({ status: 'Pass' }),
        finding_info: expect.objectContaining({ uid }),
      }),
    ]);
  });

  test('markdown for the issue names what failed and what was not checked; the admission policy admits the allow-list only', async () => {
    q ??= await quietRepository();
    q.data.deny.set('repos/list-deploy-keys', 'administration=read');
    q.data.hooks.push(hook({ url: 'https://exfil.example.net/x', secret: false }));
    const md = await cli(
      ['audit', '--format', 'markdown', '--no-state', '--admission-policy', path.join(q.dir, 'policy.yaml')],
      q.env,
      q.dir,
    );
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^## secure-repo audit/);
    expect(md.stdout).toMatch(
      /\| ❌ fail \| Access \(against the baseline\) \| `access-webhook` \| webhook \d+ → exfil\.example\.net \|/,
    );
    expect(md.stdout).toMatch(/\| `access-deploy-key` \| Administration: read \|/);
    const policy = await fsp.readFile(path.join(q.dir, 'policy.yaml'), 'utf8');
    const { parse } = await import('yaml');
    const doc = parse(policy) as {
      kind: string;
      spec: {
        rules: { name: string; validate: { foreach: { deny?: { conditions: { all: { value: string[] }[] } } }[] } }[];
      };
    };
    expect(doc.kind).toBe('ClusterPolicy');
    expect(doc.spec.rules.map((r) => r.name)).toEqual(['allowed-registries', 'require-digest']);
    expect(doc.spec.rules[0]!.validate.foreach[0]!.deny!.conditions.all[0]!.value).toEqual([
      'docker.io/library/node*',
      'node*',
      'library/node*',
    ]);
  });
});
