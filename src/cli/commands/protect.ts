import { oneOf, parseFlags } from '../args.js';
import type { Command, CommandContext } from '../../core/context.js';
import { CliError } from '../../core/errors.js';
import { workTreeRoot } from '../../core/git.js';
import { colorEnabled, palette } from '../../core/style.js';
import type { Detection } from '../../detect/types.js';
import type { ProtectReport } from '../../github/index.js';

const HELP = `Usage: secure-repo protect [--repo OWNER/NAME] [--branch NAME] [--dry-run] [--json] [--api-url URL]
                           [--mode auto|classic|rulesets] [--prune] [--yes] [--verbose]

Makes the branch require pull requests (reviews per .secure-repo.yml), the security-gate status check and signed
commits, blocks force pushes and deletion, and turns on Dependabot alerts and security updates, secret scanning and
push protection (where the plan allows), private vulnerability reporting and a read-only default workflow token.
With the deploy stage selected, also creates the "production" environment the deploy workflow uses and lets only
the protected branch deploy to it (reviewers and wait timers you set there are kept; none are added).
With the operate stage, where the plan has environments (public repositories; private ones on Pro, Team or
Enterprise), creates the "secure-repo-audit" environment, limited to the protected branch the same way, and sets the
repository variable SECURE_REPO_AUDIT_ENVIRONMENT=true so the audit workflow reads its admin token from there. Store
the token in that environment (never as a repository secret, which any branch's workflows can read):
  gh secret set SECURE_REPO_AUDIT_TOKEN --env secure-repo-audit
Reads the live settings first and sends only what differs; a second run sends no write request.

Flags:
  --repo OWNER/NAME   repository (default: the origin remote)
  --branch NAME       branch (default: protection.branch in the config, else the repository's default branch)
  --api-url URL       REST API (default: $GITHUB_API_URL, else the origin's host; GHES: https://HOST/api/v3)
  --mode MODE         auto (rulesets where available), classic (branch protection) or rulesets
  --prune             also remove what the policy does not ask for (extra checks, bypass actors, reviewers,
                      environment reviewers, wait timer and custom deployment branch patterns)
                      and relax settings stricter than the policy; without it nothing is weakened
  --dry-run           show what would change and the requests, send nothing
  --json              print the report as JSON on stdout
  --yes, -y           do not ask before applying (never asked without a terminal)
  --verbose           also list the settings that already match

Token: $GITHUB_TOKEN, else $GH_TOKEN, else \`gh auth token\`. It needs admin rights on the repository: a fine-grained
token with "Administration: write", or a classic token with the \`repo\` scope. It is never printed or stored.
Exit codes: 0 the policy holds (or nothing to do); 2 branch protection could not be applied at all (the plan rules
it out: private repositories on GitHub Free; no admin rights) or some settings were not applied, with one paragraph
on stderr naming why and the ways out (also with --json). What the plan allows is applied either way.
`;

/** The repository root and what detect finds there; outside a git work tree (with --repo) just the folder. */
export async function localRepository(cwd: string): Promise<{ root: string; detection: Detection | null }> {
  const top = await workTreeRoot(cwd);
  if (!top) return { root: cwd, detection: null };
  const { detect } = await import('../../detect/index.js');
  return { root: top, detection: await detect(top) };
}

/** Branch rules could not be written: the one paragraph that says why and the ways out. */
function blockedError(repository: string, blocked: NonNullable<ProtectReport['blocked']>, dryRun: boolean): CliError {
  const rest = dryRun
    ? 'The settings this plan allows are listed above.'
    : 'The settings this plan allows were applied (see above).';
  const message = `branch protection could not be applied to ${repository}: ${blocked.reason}. ${rest}`;
  const owner = repository.split('/')[0]!;
  switch (blocked.kind) {
    case 'plan': {
      const org = /organization/.test(blocked.reason);
      return new CliError(
        message,
        `Ways out: make the repository public (Settings → General → Danger Zone → Change visibility), or upgrade ${org ? `the organization to GitHub Team (https://github.com/organizations/${owner}/settings/billing)` : 'the account to GitHub Pro (https://github.com/settings/billing)'}; then run \`secure-repo protect\` again.`,
      );
    }
    case 'branch-missing':
      return new CliError(
        message,
        'Push a first commit and run `secure-repo protect` again, or use --mode rulesets, which protects a branch before it exists.',
      );
    default:
      return new CliError(message, 'Use --mode classic.');
  }
}

export const command: Command = {
  summary: 'apply branch protection and repository security settings through the GitHub API',
  help: HELP,
  async run(args: string[], ctx: CommandContext): Promise<number> {
    const { values, positionals } = parseFlags('protect', args, {
      repo: { type: 'string' },
      branch: { type: 'string' },
      'api-url': { type: 'string' },
      mode: { type: 'string' },
      prune: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      verbose: { type: 'boolean' },
    });
    if (positionals.length)
      throw new CliError(
        `protect takes no arguments (got "${positionals.join(' ')}").`,
        'Use --repo OWNER/NAME to name the repository.',
      );
    const mode = oneOf('mode', values.mode, ['auto', 'classic', 'rulesets'] as const, 'auto');
    const { root, detection } = await localRepository(ctx.cwd);
    const { loadConfig } = await import('../../config/load.js');
    const { config } = await loadConfig(root);
    const { ProtectSession, TOKEN_HINT } = await import('../../github/index.js');
    const { formatReport } = await import('../../github/report.js');
    const { toCliError } = await import('../../github/errors.js');
    const c = palette(colorEnabled(ctx.stdout));
    const showAll = Boolean(ctx.stderr.isTTY);
    const opts = {
      root,
      config,
      detection,
      env: ctx.env,
      mode: values.mode ? mode : config.protection.mode,
      prune: Boolean(values.prune),
      // Rate-limit waits are always shown (a silent minute looks like a hang); other steps only on a terminal.
      onProgress: (msg: string) => {
        if (showAll || /rate limit/i.test(msg)) ctx.stderr.write(`${c.dim(`… ${msg}`)}\n`);
      },
      ...(values.repo ? { repo: values.repo } : {}),
      ...(values.branch ? { branch: values.branch } : {}),
      ...(values['api-url'] ? { apiUrl: values['api-url'] } : {}),
      // Which actions the pull-request workflows use: whether the required check can run here at all.
      ...(detection
        ? { workflows: (await import('../../templates/facts.js')).pullRequestWorkflowFacts(detection, config) }
        : {}),
    };
    const session = await ProtectSession.open(opts);
    if (!session)
      throw new CliError('no GitHub token found (GITHUB_TOKEN, GH_TOKEN, or a logged-in `gh`).', TOKEN_HINT);

    const dryRun = Boolean(values['dry-run']);
    if (!dryRun && ctx.interactive && !values.yes && !values.json) {
      const preview = await session.run(true);
      ctx.stdout.write(formatReport(preview.report, c, Boolean(values.verbose)));
      if (preview.report.requests.length === 0) return 0;
      const { confirm } = await import('@inquirer/prompts');
      let go: boolean;
      try {
        go = await confirm({
          message: `Send these ${preview.report.requests.length} request(s) to GitHub?`,
          default: true,
        });
      } catch (err) {
        // Ctrl-C at the prompt: nothing was sent.
        if ((err as Error).name === 'ExitPromptError') return 130;
        throw err;
      }
      if (!go) return 0;
    }
    const { report, fatal, planLimited } = await session.run(dryRun);
    if (values.json) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else ctx.stdout.write(formatReport(report, c, Boolean(values.verbose)));
    const where = { repository: report.repository, apiUrl: report.apiUrl, doing: 'applying protection' };
    if (fatal) throw toCliError(fatal, where);
    if (report.blocked) throw blockedError(report.repository, report.blocked, dryRun);
    const failed = report.changes.filter((x) => x.action === 'failed');
    if (failed.length) {
      const { PLAN_HINT } = await import('../../github/errors.js');
      throw new CliError(
        `${failed.length} setting(s) were not applied on ${report.repository}: ${failed.map((f) => f.target).join(', ')}; the rest were.`,
        planLimited
          ? PLAN_HINT
          : "The report above gives GitHub's reason for each; fix it and run `secure-repo protect` again (it only sends what still differs).",
      );
    }
    return 0;
  },
};
