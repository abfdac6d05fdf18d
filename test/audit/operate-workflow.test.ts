import { execFile } from 'node:child_process';
import { promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { configFor, detection } from '../templates/fixtures.js';
import { renderAll } from '../templates/render.js';
import { AUDIT_WORKFLOW } from '../../src/templates/workflows/operate.js';
import { FAKE_TOKEN } from '../github/helpers.js';
import { ago, hook, quietRepository, run, type Quiet } from './fixtures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The package's copy of the verified pins (shared/action-pins.json).
const PINS = JSON.parse(readFileSync(path.join(ROOT, 'data', 'action-pins.json'), 'utf8')) as {
  actions: { uses: string; sha: string }[];
};

type Step = {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  if?: string;
};
const det = detection('empty');
const workflow = parse(renderAll(det, configFor(det)).files.get(AUDIT_WORKFLOW)!) as {
  on: Record<string, unknown>;
  jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }>;
};
// The job that runs in the audit environment and reads the admin token there (the mock server's token stands for it).
const steps = workflow.jobs['posture-audit-admin']!.steps;
const step = (name: RegExp) => steps.find((s) => s.name && name.test(s.name))!;

describe('the generated Operate workflow', () => {
  test('runs daily and on branch protection changes, with pinned actions only, and uploads state and OCSF', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['branch_protection_rule', 'schedule', 'workflow_dispatch']);
    const uses = steps.filter((s) => s.uses).map((s) => s.uses!);
    expect(uses.length).toBeGreaterThanOrEqual(4);
    for (const u of uses) {
      const [name, sha] = u.split('@') as [string, string];
      expect(PINS.actions.find((p) => p.uses === name)?.sha, u).toBe(sha);
    }
    const ocsf = steps.find((s) => s.with?.path === 'secure-repo-audit.ocsf.jsonl');
    expect(ocsf?.uses).toMatch(/^actions\/upload-artifact@/);
    expect(step(/^Audit/).run).toMatch(/--ocsf secure-repo-audit\.ocsf\.jsonl/);
    expect(Object.values(workflow.jobs)[0]!.permissions).toMatchObject({
      actions: 'read',
      issues: 'write',
      contents: 'read',
    });
  });

  test('its two jobs run the same steps; only the one in the environment names the admin token', () => {
    const plain = workflow.jobs['posture-audit']!;
    const admin = workflow.jobs['posture-audit-admin']!;
    const token = (st: Step[]) => st.find((x) => x.name && /^Audit/.test(x.name))!.env!.GITHUB_TOKEN;
    expect(token(plain.steps)).toBe('${{ github.token }}');
    expect(token(admin.steps)).toBe('${{ secrets.SECURE_REPO_AUDIT_TOKEN || github.token }}');
    const without = (st: Step[]) =>
      st.map((x) => (x.name && /^Audit/.test(x.name) ? { ...x, env: { ...x.env, GITHUB_TOKEN: 'TOKEN' } } : x));
    expect(plain.steps.length).toBeGreaterThan(5);
    expect(without(plain.steps)).toEqual(without(admin.steps));
    expect(plain.permissions).toEqual(admin.permissions);
  });
});

// ---- running the generated steps: bash, the built CLI, a stand-in `gh` that keeps issues and artifacts in files
const GH = `#!/usr/bin/env bash
set -euo pipefail
S="$FAKE_GH_DIR"; echo "gh $*" >> "$S/calls.log"
case "$1 $2" in
  "run list") [ -f "$S/artifact/audit-state.json" ] && echo 4242 || true ;;
  "run download") mkdir -p "\${@: -1}"; cp "$S/artifact/audit-state.json" "\${@: -1}/" ;;
  "label create") ;;
  "issue list") [ -f "$S/open" ] && cat "$S/open" || true ;;
  "issue view") cat "$S/body" ;;
  "issue create"|"issue edit") while [ $# -gt 0 ]; do [ "$1" = "--body-file" ] && cp "$2" "$S/body"; shift; done; echo 7 > "$S/open" ;;
  "issue comment") ;;
  "issue close") rm -f "$S/open" ;;
  *) echo "unexpected gh $*" >&2; exit 3 ;;
esac
`;

let q: Quiet | undefined;
afterAll(async () => {
  await q?.close();
});

async function runStep(
  s: Step,
  cwd: string,
  env: NodeJS.ProcessEnv,
  outputs: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = path.join(cwd, '..', 'github-output');
  await fsp.writeFile(out, '');
  const stepEnv: NodeJS.ProcessEnv = {
    ...env,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: path.join(cwd, '..', 'summary.md'),
  };
  for (const [k, v] of Object.entries(s.env ?? {}))
    stepEnv[k] = v
      .replace('${{ github.token }}', 'gh-token')
      .replace('${{ github.repository }}', 'octo/app')
      .replace('${{ github.run_id }}', '9999')
      .replace(/\$\{\{ secrets\.SECURE_REPO_AUDIT_TOKEN \|\| github\.token \}\}/, FAKE_TOKEN);
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile('bash', ['-e', '-c', s.run!], { cwd, env: stepEnv }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
  for (const line of (await fsp.readFile(out, 'utf8')).split('\n')) {
    const m = /^([\w-]+)=(.*)$/.exec(line);
    if (m) outputs[m[1]!] = m[2]!;
  }
  return r;
}

describe('the generated Operate workflow, run', () => {
  test('opens one issue with the report, carries its state to the next run, and keeps the issue instead of adding one', async () => {
    q = await quietRepository();
    const fake = path.join(q.dir, '..', 'fake-gh');
    await fsp.mkdir(path.join(fake, 'bin'), { recursive: true });
    await fsp.mkdir(path.join(fake, 'artifact'), { recursive: true });
    await fsp.writeFile(path.join(fake, 'bin', 'gh'), GH, { mode: 0o755 });
    // The workflow runs the tool it installed; here that path leads to this build.
    const command = /^(\S+) audit /m.exec(step(/^Audit/).run!)![1]!;
    const tool = path.dirname(path.join(q.dir, command));
    await fsp.mkdir(tool, { recursive: true });
    await fsp.writeFile(
      path.join(q.dir, command),
      `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin', 'secure-repo.js')}" "$@"\n`,
      { mode: 0o755 },
    );
    const env = {
      ...q.env,
      PATH: `${path.join(fake, 'bin')}:${path.dirname(process.execPath)}:/usr/bin:/bin`,
      FAKE_GH_DIR: fake,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '9999',
    };
    expect(command).toMatch(/^\.\/.*node_modules\/\.bin\/secure-repo$/);

    // A compromise: a bot dispatches the nightly publish and a webhook appears.
    q.data.runs.push(
      run({
        event: 'workflow_dispatch',
        path: '.github/workflows/nightly.yml',
        actor: 'github-actions[bot]',
        created_at: ago(0.2),
      }),
    );
    q.data.hooks.push(hook({ url: 'https://exfil.example.net/x', secret: false }));
    const outputs: Record<string, string> = {};
    for (const s of [step(/^Restore/), step(/^Audit/)]) expect((await runStep(s, q.dir, env, outputs)).code).toBe(0);
    expect(outputs.drift).toBe('true');
    expect((await runStep(step(/^Keep one issue current/), q.dir, env, outputs)).code).toBe(0);
    const body1 = await fsp.readFile(path.join(fake, 'body'), 'utf8');
    expect(body1).toMatch(/run-dispatch-unusual/);
    expect(body1).toMatch(/first audit: \d+ \(actor, event, workflow\) combination/);
    const ocsf = (await fsp.readFile(path.join(q.dir, 'secure-repo-audit.ocsf.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { class_uid: number });
    expect(ocsf.some((r) => r.class_uid === 2004) && ocsf.some((r) => r.class_uid === 2003)).toBe(true);
    // upload-artifact, then the next run's download.
    await fsp.copyFile(
      path.join(q.dir, '.secure-repo-state', 'audit-state.json'),
      path.join(fake, 'artifact', 'audit-state.json'),
    );
    await fsp.rm(path.join(q.dir, '.secure-repo-state'), { recursive: true });

    const restore = await runStep(step(/^Restore/), q.dir, env, outputs);
    expect(restore.stdout).toMatch(/State restored from run 4242/);
    expect((await runStep(step(/^Audit/), q.dir, env, outputs)).code).toBe(0);
    expect(outputs.drift).toBe('true');
    expect((await runStep(step(/^Keep one issue current/), q.dir, env, outputs)).code).toBe(0);
    const body2 = await fsp.readFile(path.join(fake, 'body'), 'utf8');
    // The state came back: nothing is learned afresh, the dispatch already reported is not repeated, the hook still is.
    expect(body2).not.toMatch(/first audit/);
    expect(body2).not.toMatch(/run-dispatch-unusual/);
    expect(body2).toMatch(/access-webhook/);
    const calls = await fsp.readFile(path.join(fake, 'calls.log'), 'utf8');
    expect(calls.match(/^gh issue create/gm)?.length).toBe(1);
    expect(calls).toMatch(/^gh issue edit 7/m);
  });
});
