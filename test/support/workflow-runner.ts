import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Obj = Record<string, any>;

/** What a `uses:` step provides, done locally: setup actions put a tool on PATH, uploads check their file exists. */
export interface Stubs {
  /** Folder whose bin/ stands for setup-python's Python (a venv). */
  pythonBin?: string;
  /** Folder holding the `go` binary setup-go would provide. */
  goBin?: string;
}

export interface StepResult {
  name: string;
  kind: 'run' | 'uses' | 'skipped';
  code: number;
  output: string;
}

export interface JobRun {
  code: number;
  steps: StepResult[];
  /** The first failing step's output, for the assertion message. */
  failure: string;
}

/**
 * Runs a generated job the way a hosted runner does, on a real checkout: each `run:` through `bash -eo pipefail`
 * in its working directory with its env, `${{ }}` expressions replaced from `values`, GITHUB_ENV/GITHUB_PATH
 * carried between steps; each `uses:` replaced by what the action provides. A step whose `if:` is not in
 * `values.conditions` as true is skipped, as the runner would for a false condition.
 */
export function runJob(
  job: Obj,
  cwd: string,
  env: NodeJS.ProcessEnv,
  stubs: Stubs,
  values: { expressions?: Record<string, string>; conditions?: Record<string, boolean> } = {},
): JobRun {
  const work = path.join(String(env.HOME ?? cwd), `.runner-${Math.random().toString(36).slice(2)}`);
  mkdirSync(work, { recursive: true });
  const files = {
    GITHUB_ENV: 'env',
    GITHUB_PATH: 'path',
    GITHUB_OUTPUT: 'output',
    GITHUB_STEP_SUMMARY: 'summary',
  } as const;
  for (const f of Object.values(files)) writeFileSync(path.join(work, f), '');
  const extraPath: string[] = [];
  const steps: StepResult[] = [];
  const expr = (v: string) =>
    v.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
      if (values.expressions && e in values.expressions) return values.expressions[e]!;
      throw new Error(`no value for the expression \${{ ${e} }} in ${JSON.stringify(job.name)}`);
    });
  const jobEnv = Object.fromEntries(Object.entries<string>(job.env ?? {}).map(([k, v]) => [k, expr(String(v))]));
  for (const step of (job.steps ?? []) as Obj[]) {
    const name = String(step.name ?? step.uses ?? step.run);
    if (step.if !== undefined && values.conditions?.[String(step.if)] !== true) {
      steps.push({ name, kind: 'skipped', code: 0, output: `if: ${step.if}` });
      continue;
    }
    if (step.uses) {
      const r = stubUses(String(step.uses), step.with ?? {}, cwd, stubs, extraPath);
      steps.push({ name, kind: 'uses', ...r });
      if (r.code !== 0) return { code: r.code, steps, failure: `${name}: ${r.output}` };
      continue;
    }
    const carried = Object.fromEntries(
      readFileSync(path.join(work, 'env'), 'utf8')
        .split('\n')
        .filter((l) => l.includes('='))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const added = readFileSync(path.join(work, 'path'), 'utf8').split('\n').filter(Boolean).reverse();
    const stepEnv = Object.fromEntries(Object.entries<string>(step.env ?? {}).map(([k, v]) => [k, expr(String(v))]));
    const fullEnv: NodeJS.ProcessEnv = {
      ...env,
      ...jobEnv,
      ...carried,
      ...stepEnv,
      PATH: [...added, ...extraPath, env.PATH].join(':'),
      GITHUB_WORKSPACE: cwd,
      RUNNER_TEMP: work,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      ...Object.fromEntries(Object.entries(files).map(([k, f]) => [k, path.join(work, f)])),
    };
    const dir = step['working-directory'] ? path.join(cwd, String(step['working-directory'])) : cwd;
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', String(step.run)], {
      cwd: dir,
      env: fullEnv,
      encoding: 'utf8',
      timeout: 300_000,
    });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    const code = r.status ?? 1;
    steps.push({ name, kind: 'run', code, output });
    if (code !== 0) return { code, steps, failure: `${name} (exit ${code}):\n${output.slice(-3000)}` };
  }
  return { code: 0, steps, failure: '' };
}

function stubUses(
  uses: string,
  withs: Obj,
  cwd: string,
  stubs: Stubs,
  extraPath: string[],
): { code: number; output: string } {
  const action = uses.slice(0, uses.lastIndexOf('@'));
  switch (action) {
    case 'step-security/harden-runner':
    case 'actions/checkout': // the repository is already checked out with its full history
      return { code: 0, output: 'stubbed' };
    case 'actions/setup-node':
      return { code: 0, output: `node ${process.version} from PATH` };
    case 'actions/setup-python':
      if (!stubs.pythonBin) return { code: 1, output: 'no Python stub given' };
      extraPath.unshift(stubs.pythonBin);
      return { code: 0, output: `python from ${stubs.pythonBin}` };
    case 'actions/setup-go':
      if (!stubs.goBin) return { code: 1, output: 'no Go stub given' };
      extraPath.unshift(stubs.goBin);
      return { code: 0, output: `go from ${stubs.goBin}` };
    case 'actions/upload-artifact':
    case 'github/codeql-action/upload-sarif': {
      const file = String(withs.path ?? withs.sarif_file).split('\n')[0]!;
      return existsSync(path.join(cwd, file))
        ? { code: 0, output: `${file} exists` }
        : { code: 1, output: `${file} was not written` };
    }
    default:
      return { code: 1, output: `no local stand-in for ${action}` };
  }
}
