import { HOOK_MANAGERS, type HookManager } from '../../config/types.js';
import { CliError } from '../../core/errors.js';
import { oneOf, parseFlags } from '../args.js';
import type { Command } from '../../core/context.js';

const help = `Usage:
  secure-repo hook pre-commit               what the pre-commit hook runs: secrets and SAST in the staged changes,
                                            then the fast checks in hooks.preCommit.run
  secure-repo hook pre-push <remote> <url>  what the pre-push hook runs: reads git's ref lines on stdin and scans
                                            every commit the push adds; signatures and tests when configured
  secure-repo hook install [flags]          install the hooks in this clone (teammates run this once after cloning)

Flags for pre-commit and pre-push:
      --timing             print where the hook's time goes (also: SECURE_REPO_TIMING=1 git commit ...)

Flags for install:
      --hooks MANAGER      ${HOOK_MANAGERS.join(' | ')} (default: from .secure-repo.yml, else detected)
      --package-spec SPEC  devDependency spec for this tool in Node projects (default: create-secure-repo@^VERSION)
      --no-install         do not run the package manager
      --dry-run            show what would change, change nothing
      --json               print the changes as JSON on stdout

Environment:
  SECURE_REPO_SKIP=1       skip every secure-repo check once (CI still runs the same scan on the server)
  SECURE_REPO_SKIP=LIST    skip some: secrets, sast, tests, signing, checks (comma separated)
  SECURE_REPO_TIMING=1     print a breakdown of the hook's time (start-up, loading, config, git calls, scan, output)

Exit codes: 0 pass, 1 blocked (findings, unsigned commits, failing checks), 2 the check could not run.
`;

export const command: Command = {
  summary: 'what the installed git hooks run (pre-commit, pre-push), and `hook install`',
  help,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'pre-commit':
      case 'pre-push': {
        // The same entry the bundled hook runs (bin/secure-repo.js), so both paths behave alike.
        const { runHook } = await import('../hook-main.js');
        return runHook(args, ctx);
      }
      case 'install':
        return install(rest, ctx);
      case undefined:
        throw new CliError(
          'which hook?',
          'Usage: `secure-repo hook pre-commit`, `secure-repo hook pre-push <remote> <url>` or `secure-repo hook install`.',
        );
      default:
        throw new CliError(`unknown hook "${sub}".`, 'Hooks: pre-commit, pre-push; or `secure-repo hook install`.');
    }
  },
};

async function install(args: string[], ctx: Parameters<Command['run']>[1]): Promise<number> {
  const { values, positionals } = parseFlags('hook', args, {
    hooks: { type: 'string' },
    'package-spec': { type: 'string' },
    'no-install': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0)
    throw new CliError(
      `hook install takes no arguments (got ${positionals.join(' ')}).`,
      'Run it inside the repository.',
    );
  const manager =
    values.hooks === undefined ? undefined : oneOf<HookManager>('hooks', values.hooks, HOOK_MANAGERS, 'git');
  const { installHooks } = await import('../../init/setup.js');
  const { formatPlan, planToJson } = await import('../../changes/format.js');
  const { colorEnabled } = await import('../../core/style.js');
  const dryRun = Boolean(values['dry-run']);
  const outcome = await installHooks({
    cwd: ctx.cwd,
    manager,
    packageSpec: values['package-spec'] ?? `create-secure-repo@^${ctx.version}`,
    install: !values['no-install'],
    dryRun,
    env: ctx.env,
  });
  const failed = outcome.selfTest !== null && outcome.selfTest.status === 'fail';
  if (values.json) {
    ctx.stdout.write(
      `${JSON.stringify({ version: 1, root: outcome.root, manager: outcome.manager, dryRun, changes: planToJson(outcome.changes), selfTest: outcome.selfTest }, null, 2)}\n`,
    );
    return failed ? 1 : 0;
  }
  ctx.stderr.write(formatPlan(outcome.changes, { color: colorEnabled(ctx.stderr) }));
  if (dryRun) return 0;
  if (failed) {
    ctx.stderr.write(
      `\nsecure-repo: the hooks are installed but do NOT work yet: ${outcome.selfTest!.message}.\n${outcome.selfTest!.fix ? `Fix: ${outcome.selfTest!.fix}\n` : ''}`,
    );
    return 1;
  }
  const proof = outcome.selfTest
    ? ' Self-test passed: a staged test token was blocked.'
    : " Run your package manager's install, then `secure-repo doctor` to check them.";
  ctx.stderr.write(`\nHooks installed (${outcome.manager}).${proof}\n${outcome.instruction}\n`);
  return 0;
}
