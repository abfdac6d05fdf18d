import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import type { HookManager } from '../config/types.js';
import { anyFailed, type Check, type CheckStatus } from '../core/check.js';
import { CliError } from '../core/errors.js';
import { isExecutable } from '../core/fs.js';
import { git, workTreeRoot } from '../core/git.js';
import { ownership } from '../core/ownership.js';
import { commitSelfTest } from './self-test.js';
import { toolCommand } from './install/tool-command.js';
import { hasHookLine } from './install/hook-file.js';
import { CHECKED_HOOKS, GIT_KEYS, hooksDirFor, RUNNER_FILE, runnerCommand } from './layout.js';

/** What doctor asks, in order; each answer is a `Check` with id `hook-<name>` (audit reports the same ids). */
type DoctorQuestion = 'config' | 'installed' | 'active' | 'runnable' | 'self-test' | 'chained' | 'signing';

export interface DoctorReport {
  root: string;
  manager: HookManager | null;
  checks: Check[];
  ok: boolean;
}

function check(question: DoctorQuestion, target: string, status: CheckStatus, message: string, fix?: string): Check {
  return { id: `hook-${question}`, area: 'hooks', status, target, message, ...(fix ? { fix } : {}) };
}

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

interface Proc {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, input = ''): Promise<Proc> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', (err) => resolve({ code: 127, stdout, stderr: stderr + err.message }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    // A child that exits without reading its input (the runner's `locate`) closes the pipe first: not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** Which manager's files are here: the config's choice when they exist, else whatever of ours is on disk. */
function installedManager(root: string, configured: HookManager | null, gitDir: string | null): HookManager | null {
  const has = (m: HookManager) => existsSync(path.join(root, hooksDirFor(m, gitDir ?? undefined), RUNNER_FILE));
  if (configured && has(configured)) return configured;
  if (has('husky')) return 'husky';
  if (gitDir && has('git')) return 'git';
  if (existsSync(path.join(root, '.secure-repo', RUNNER_FILE))) {
    const pc = read(path.join(root, '.pre-commit-config.yaml')) ?? '';
    return pc.includes('secure-repo') ? 'pre-commit' : 'lefthook';
  }
  return null;
}

/** Is everything installed, active and runnable here? Each problem comes with the command that fixes it. */
export async function runDoctor(cwd: string, env: NodeJS.ProcessEnv): Promise<DoctorReport> {
  const root = await workTreeRoot(cwd);
  if (!root)
    throw new CliError('not inside a git work tree.', 'Run `secure-repo doctor` inside the repository to check.');
  const checks: Check[] = [];
  // Commands that work here: `npx secure-repo` only where the project installs it (the package is not on npm yet).
  const tool = toolCommand({ root, node: null });
  const fixInstall = `Run \`${tool} hook install\` (or \`${tool} init\` to set everything up).`;

  let configured: HookManager | null = null;
  let requireSigned = false;
  try {
    const { config, file } = await loadConfig(root);
    configured = file ? config.hooks.manager : null;
    requireSigned = config.hooks.prePush.requireSignedCommits;
    checks.push(
      check(
        'config',
        '.secure-repo.yml',
        'pass',
        file
          ? `${path.relative(root, file)} is valid (hooks: ${config.hooks.manager})`
          : 'no .secure-repo.yml: defaults apply',
      ),
    );
  } catch (err) {
    checks.push(
      check(
        'config',
        '.secure-repo.yml',
        'fail',
        (err as Error).message,
        (err as CliError).hint ?? 'Fix .secure-repo.yml.',
      ),
    );
  }

  const hooksPath = await git(['config', '--get', 'core.hooksPath'], { cwd: root, allowFailure: true });
  const activeRaw =
    (await git(['rev-parse', '--git-path', 'hooks'], { cwd: root, allowFailure: true })) ?? '.git/hooks';
  const active = path.resolve(root, activeRaw);
  const inTree =
    hooksPath && !path.relative(root, path.resolve(root, hooksPath)).startsWith('..')
      ? path.relative(root, path.resolve(root, hooksPath))
      : null;
  const plainDir =
    inTree && !inTree.startsWith('.husky')
      ? inTree
      : existsSync(path.join(root, '.githooks', RUNNER_FILE))
        ? '.githooks'
        : null;
  const manager = installedManager(root, configured, plainDir);
  const report = (): DoctorReport => ({ root, manager, checks, ok: !anyFailed(checks) });
  const hooksTarget = manager ? `${manager} hooks` : 'git hooks';
  if (!manager) {
    checks.push(check('installed', hooksTarget, 'fail', 'no secure-repo hooks in this repository', fixInstall));
    return report();
  }
  const dir = hooksDirFor(manager, plainDir ?? undefined);
  const runner = path.join(root, dir, RUNNER_FILE);

  // installed: the runner is ours and each hook calls it
  const missing: string[] = [];
  if (ownership(read(runner)) === 'absent') missing.push(`${dir}/${RUNNER_FILE}`);
  if (manager === 'husky' || manager === 'git') {
    for (const h of CHECKED_HOOKS) if (!hasHookLine(read(path.join(root, dir, h)) ?? '')) missing.push(`${dir}/${h}`);
  } else if (manager === 'pre-commit') {
    const cfg = read(path.join(root, '.pre-commit-config.yaml')) ?? '';
    if (!cfg.includes(runnerCommand('pre-commit', 'pre-commit')))
      missing.push('.pre-commit-config.yaml entry for pre-commit');
    if (!cfg.includes(runnerCommand('pre-commit', 'pre-push')))
      missing.push('.pre-commit-config.yaml entry for pre-push');
  } else {
    const file =
      ['lefthook.yml', 'lefthook.yaml', '.lefthook.yml', '.lefthook.yaml']
        .map((f) => read(path.join(root, f)))
        .find((t) => t !== null) ?? '';
    for (const h of CHECKED_HOOKS)
      if (!file.includes(runnerCommand('lefthook', h))) missing.push(`lefthook ${h} command`);
  }
  checks.push(
    missing.length === 0
      ? check(
          'installed',
          hooksTarget,
          'pass',
          `${manager} hooks: ${CHECKED_HOOKS.join(', ')} call ${dir}/${RUNNER_FILE}`,
        )
      : check('installed', hooksTarget, 'fail', `missing: ${missing.join(', ')}`, fixInstall),
  );

  // active: git will actually run those hooks
  const activeProblems: string[] = [];
  for (const h of CHECKED_HOOKS) {
    const file = path.join(active, h);
    const text = read(file);
    if (text === null) activeProblems.push(`${path.relative(root, file)} does not exist`);
    else if (!(await isExecutable(file)))
      activeProblems.push(`${path.relative(root, file)} is not executable (chmod +x)`);
    else if (manager === 'pre-commit' && !/pre-commit/.test(text))
      activeProblems.push(`${path.relative(root, file)} is not the pre-commit framework's hook`);
    else if (manager === 'lefthook' && !/lefthook/.test(text))
      activeProblems.push(`${path.relative(root, file)} is not lefthook's hook`);
  }
  const expected =
    manager === 'husky'
      ? [path.join(root, '.husky', '_'), path.join(root, '.husky')]
      : manager === 'git'
        ? [path.join(root, dir)]
        : null;
  if (expected && !expected.some((e) => path.resolve(e) === active))
    activeProblems.unshift(
      `git runs hooks from ${path.relative(root, active) || active}, not ${path.relative(root, expected[0]!)}`,
    );
  const activate: Record<HookManager, string> = {
    husky: "Run your package manager's install (`npm install`): its prepare step activates husky.",
    git: fixInstall,
    'pre-commit': 'Run `pre-commit install -t pre-commit -t pre-push`.',
    lefthook: 'Run `npx lefthook install` (or `lefthook install`).',
  };
  checks.push(
    activeProblems.length === 0
      ? check('active', hooksTarget, 'pass', `git runs the hooks from ${path.relative(root, active) || active}`)
      : check('active', hooksTarget, 'fail', activeProblems.join('; '), activate[manager]),
  );

  // runnable: the runner finds node and the CLI exactly as a hook would, and the CLI starts
  const childEnv = { ...env };
  delete childEnv.SECURE_REPO_SKIP;
  const located = existsSync(runner) ? await run('sh', [runner, 'locate'], root, childEnv) : null;
  if (!located || located.code !== 0) {
    checks.push(
      check(
        'runnable',
        hooksTarget,
        'fail',
        located ? `the hooks cannot find the tool (${located.stdout.trim()})` : 'no runner',
        `Run \`npm install\` (Node projects) or \`${tool} hook install\`.`,
      ),
    );
    return report();
  }
  const found = Object.fromEntries(
    located.stdout
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]),
  );
  const version = found.bin
    ? await run(found.bin, ['--version'], root, childEnv)
    : await run(found.node!, [found.cli!, '--version'], root, childEnv);
  if (version.code !== 0) {
    checks.push(
      check(
        'runnable',
        hooksTarget,
        'fail',
        `the tool does not start: ${version.stderr.trim().split('\n')[0]}`,
        `Reinstall it: \`npm install\` or \`${tool} hook install\`.`,
      ),
    );
    return report();
  }
  checks.push(
    check('runnable', hooksTarget, 'pass', `${found.bin ?? `${found.node} ${found.cli}`} (${version.stdout.trim()})`),
  );

  // self-test: a real `git commit` of a staged fake token must be refused
  checks.push(await selfTest(root, manager, childEnv, hooksTarget));

  if (requireSigned) {
    const { signingNeeded } = await import('./signing/ssh.js');
    checks.push(
      (await signingNeeded(root, env))
        ? check(
            'signing',
            hooksTarget,
            'fail',
            'this repository requires signed commits, and yours are not signed',
            'Run `secure-repo signing`.',
          )
        : check('signing', hooksTarget, 'pass', 'your commits are signed (commit.gpgsign)'),
    );
  }

  const chain = await git(['config', '--get', GIT_KEYS.chain], { cwd: root, allowFailure: true });
  if (chain && chain !== 'none')
    checks.push(check('chained', hooksTarget, 'info', `hooks that ran before keep running after ours: ${chain}`));
  return report();
}

/** The self-test: a real `git commit` of a staged fake token, in a scratch git dir that leaves no trace. */
async function selfTest(
  root: string,
  manager: HookManager,
  env: NodeJS.ProcessEnv,
  hooksTarget: string,
): Promise<Check> {
  const preCommitConfig = manager === 'pre-commit' ? read(path.join(root, '.pre-commit-config.yaml')) : undefined;
  const r = await commitSelfTest(root, env, preCommitConfig === undefined ? {} : { preCommitConfig });
  if (r.status === 'pass') return check('self-test', hooksTarget, 'pass', r.detail);
  return check(
    'self-test',
    hooksTarget,
    'fail',
    r.detail,
    'Run `secure-repo scan --staged` to see why, and check scan.allowPaths in .secure-repo.yml; the checks above say whether the hooks are active.',
  );
}
