import path from 'node:path';
import { CliError } from '../../core/errors.js';
import { colorEnabled } from '../../core/style.js';
import { HOOK_MANAGERS, STAGES, type HookManager } from '../../config/types.js';
import { parseFlags, oneOf } from '../args.js';
import type { Command } from '../../core/context.js';

const help = `Usage: create-secure-repo [init] [DIR] [flags]

Sets up DIR (default: the current folder) with a DevSecOps workflow: git hooks that scan for secrets and run SAST,
GitHub Actions workflows for every stage, a security policy and branch protection. It detects what the repository
is and already has, shows the plan, and changes nothing you wrote: your files are merged into or left alone.
DIR that does not exist is created as a new project (git init).

Flags:
  -y, --yes               accept every default, never prompt (also the behaviour without a TTY)
      --dry-run           print the plan and change nothing at all
      --json              print the plan and result as JSON on stdout (implies --yes)
      --stages LIST       comma list of ${STAGES.join(',')} (default: every stage that applies)
      --hooks MANAGER     ${HOOK_MANAGERS.join(' | ')} (default: detected)
      --package-spec SPEC devDependency spec for this tool in Node projects (default: what package.json already
                          has, else create-secure-repo@^VERSION); a packed tarball's path while it is not on npm
      --no-install        do not run the package manager
      --no-github         skip every GitHub API step
      --repo OWNER/NAME   GitHub repository (default: from the origin remote)
      --branch NAME       branch to protect (default: the repository's default branch)
      --api-url URL       GitHub API URL (default: $GITHUB_API_URL, else from the remote, else https://api.github.com)
      --no-color          plain output
  -h, --help              this help

Examples:
  npx create-secure-repo                 set up the current repository
  npx create-secure-repo my-app          create my-app, git init it and set it up
  npx create-secure-repo --dry-run       see what would change
  npx create-secure-repo --yes --no-github --stages code,build
`;

export const command: Command = {
  summary: 'set up (or retrofit) a repository',
  help,
  async run(args, ctx) {
    const { values, positionals } = parseFlags('init', args, {
      yes: { type: 'boolean', short: 'y' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      stages: { type: 'string' },
      hooks: { type: 'string' },
      'package-spec': { type: 'string' },
      'no-install': { type: 'boolean' },
      'no-github': { type: 'boolean' },
      repo: { type: 'string' },
      branch: { type: 'string' },
      'api-url': { type: 'string' },
      'no-color': { type: 'boolean' },
    });
    if (positionals.length > 1)
      throw new CliError(
        `init takes one folder, got ${positionals.length}: ${positionals.join(' ')}.`,
        'Quote a path that contains spaces.',
      );
    const { parseStages } = await import('../../init/choices.js');
    let stages;
    if (values.stages !== undefined) {
      try {
        stages = parseStages(values.stages);
      } catch (err) {
        throw new CliError(
          `unknown stage(s) in --stages: ${(err as Error).message}.`,
          `Stages are: ${STAGES.join(', ')}.`,
        );
      }
    }
    const hooks =
      values.hooks === undefined ? undefined : oneOf<HookManager>('hooks', values.hooks, HOOK_MANAGERS, 'git');
    if (values.repo !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(values.repo)) {
      throw new CliError(`--repo must be OWNER/NAME (got "${values.repo}").`);
    }
    if (values['api-url'] !== undefined && !/^https?:\/\//.test(values['api-url'])) {
      throw new CliError(
        `--api-url must be an http(s) URL (got "${values['api-url']}").`,
        'GitHub Enterprise Server: https://HOST/api/v3.',
      );
    }
    const json = Boolean(values.json);
    const { runInit, resultJson } = await import('../../init/run.js');
    const result = await runInit({
      dir: path.resolve(ctx.cwd, positionals[0] ?? '.'),
      cwd: ctx.cwd,
      ...((ctx.stderr as { columns?: number }).columns
        ? { columns: (ctx.stderr as { columns?: number }).columns }
        : {}),
      yes: Boolean(values.yes) || json,
      dryRun: Boolean(values['dry-run']),
      json,
      interactive: ctx.interactive,
      color: !values['no-color'] && colorEnabled(ctx.stderr),
      stages,
      hooks,
      ...(values['package-spec'] !== undefined ? { packageSpec: values['package-spec'] } : {}),
      install: !values['no-install'],
      github: !values['no-github'],
      repo: values.repo,
      apiUrl: values['api-url'],
      branch: values.branch,
      env: ctx.env,
      version: ctx.version,
      out: (s) => ctx.stdout.write(s),
      err: (s) => ctx.stdout.write(s),
    });
    if (json) ctx.stdout.write(JSON.stringify(resultJson(result, ctx.version), null, 2) + '\n');
    else if (!result.dryRun && result.requireSignedCommits) await offerSigning(result, ctx);
    return result.selfTest && result.selfTest.status === 'fail' ? 1 : 0;
  },
};

/** The policy requires signed commits: help this developer sign theirs (asking first), or say how. */
async function offerSigning(
  result: { root: string; branch: string; tool: string },
  ctx: Parameters<Command['run']>[1],
): Promise<void> {
  const { signingNeeded } = await import('../../hooks/signing/ssh.js');
  if (!(await signingNeeded(result.root, ctx.env))) return;
  const blocked = `your pushes to ${result.branch} are refused until your commits are signed`;
  if (!ctx.interactive) {
    ctx.stdout.write(
      `Signed commits are required on ${result.branch}: ${blocked}. Set it up once: ${result.tool} signing\n`,
    );
    return;
  }
  const { confirm } = await import('@inquirer/prompts');
  // Ctrl-C here comes after apply: the changes stay, only signing is left (the generic "nothing was changed" is wrong).
  const yes = await confirm({
    message: `Signed commits are required on ${result.branch}: ${blocked}. Set up SSH commit signing for you now?`,
    default: true,
  }).catch((err: Error) => {
    if (err.name !== 'ExitPromptError') throw err;
    return null;
  });
  if (yes === null) {
    ctx.stdout.write(
      `\nSigning was not set up; the changes above are applied. Until it is, ${blocked}. Later: ${result.tool} signing\n`,
    );
    return;
  }
  if (yes) {
    const { command: signing } = await import('./signing.js');
    await signing.run([], { ...ctx, cwd: result.root });
  } else ctx.stdout.write(`Signing was not set up: ${blocked}. Later: ${result.tool} signing\n`);
}
