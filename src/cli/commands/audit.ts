import { oneOf, parseFlags } from '../args.js';
import type { Command, CommandContext } from '../../core/context.js';
import { CliError } from '../../core/errors.js';
import { atomicWrite } from '../../core/fs.js';
import { workTreeRoot } from '../../core/git.js';
import { colorEnabled, palette } from '../../core/style.js';
import type { AuditFinding, AuditReport } from '../../audit/types.js';
import type { PermissionError } from '../../github/errors.js';

const HELP = `Usage: secure-repo audit [--repo OWNER/NAME] [--api-url URL] [--branch NAME] [--format text|json|sarif|markdown]
                         [--output FILE] [--no-github] [--mode auto|classic|rulesets] [--verbose]

Checks the repository against its policy (.secure-repo.yml) and reports drift:
  files    every file init generates is present and current (an edited generated file is a warning)
  hooks    the pre-commit and pre-push hooks are installed, active, runnable and block a staged fake token
  github   with a token: the live branch protection / ruleset and security settings match the policy
           (exactly what \`secure-repo protect\` would change); without one this part is skipped and said so

Exit codes: 0 no drift, 1 drift or a failing check, 2 error.
`;

export const command: Command = {
  summary: 'check files and live GitHub settings against the policy (drift)',
  help: HELP,
  async run(args: string[], ctx: CommandContext): Promise<number> {
    const { values, positionals } = parseFlags('audit', args, {
      repo: { type: 'string' },
      branch: { type: 'string' },
      'api-url': { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string' },
      mode: { type: 'string' },
      'no-github': { type: 'boolean' },
      verbose: { type: 'boolean' },
    });
    if (positionals.length) throw new CliError(`audit takes no arguments (got "${positionals.join(' ')}").`, 'Run it inside the repository; use --repo for the GitHub part.');
    const format = oneOf('format', values.format, ['text', 'json', 'sarif', 'markdown'] as const, 'text');
    const mode = oneOf('mode', values.mode, ['auto', 'classic', 'rulesets'] as const, 'auto');

    const top = await workTreeRoot(ctx.cwd);
    if (!top) throw new CliError('not inside a git work tree.', 'Run `secure-repo audit` inside the repository to audit.');
    const root = top;
    const { loadConfig } = await import('../../config/load.js');
    const { config } = await loadConfig(root);
    const { detect } = await import('../../detect/index.js');
    const detection = await detect(root);

    const { auditFiles } = await import('../../audit/files.js');
    const { auditHooks } = await import('../../audit/hooks.js');
    const findings: AuditFinding[] = [...(await auditFiles(detection, config)), ...(await auditHooks(root, ctx.env))];

    const report: AuditReport = {
      version: 1,
      root,
      repository: null,
      branch: null,
      github: { checked: false, reason: 'disabled by --no-github' },
      summary: { drift: 0, warnings: 0, ok: 0 },
      findings,
    };
    if (!values['no-github']) await auditGitHub(report, { root, config, detection, ctx, values, mode: values.mode ? mode : config.protection.mode });

    report.summary = {
      drift: findings.filter((f) => f.status === 'drift').length,
      warnings: findings.filter((f) => f.status === 'warning').length,
      ok: findings.filter((f) => f.status === 'ok').length,
    };
    const fmt = await import('../../audit/format.js');
    const toFile = Boolean(values.output);
    const text =
      format === 'json' ? fmt.formatJson(report)
      : format === 'sarif' ? fmt.formatSarif(report, ctx.version)
      : format === 'markdown' ? fmt.formatMarkdown(report)
      : fmt.formatText(report, palette(!toFile && colorEnabled(ctx.stdout)), Boolean(values.verbose));
    if (values.output) await atomicWrite(values.output, text);
    else ctx.stdout.write(text);
    return report.summary.drift > 0 ? 1 : 0;
  },
};

async function auditGitHub(
  report: AuditReport,
  a: {
    root: string;
    config: import('../../config/types.js').Config;
    detection: import('../../detect/types.js').Detection;
    ctx: CommandContext;
    values: { repo?: string | undefined; branch?: string | undefined; 'api-url'?: string | undefined };
    mode: 'auto' | 'classic' | 'rulesets';
  },
): Promise<void> {
  const { ProtectSession } = await import('../../github/index.js');
  const { ADMIN_HINT } = await import('../../github/errors.js');
  const { githubFindings } = await import('../../audit/github.js');
  const opts = {
    root: a.root,
    config: a.config,
    detection: a.detection,
    env: a.ctx.env,
    mode: a.mode,
    ...(a.values.repo ? { repo: a.values.repo } : {}),
    ...(a.values.branch ? { branch: a.values.branch } : {}),
    ...(a.values['api-url'] ? { apiUrl: a.values['api-url'] } : {}),
  };
  let session: Awaited<ReturnType<typeof ProtectSession.open>>;
  try {
    session = await ProtectSession.open(opts);
  } catch (err) {
    // No GitHub remote and no --repo: there is nothing live to compare, which is not an error for an audit.
    if (err instanceof CliError && /no GitHub repository/.test(err.message)) {
      report.github.reason = 'no GitHub remote (origin) and no --repo';
      return;
    }
    throw err;
  }
  if (!session) {
    report.github.reason = 'no token (set GITHUB_TOKEN or GH_TOKEN, or log in with `gh auth login`)';
    return;
  }
  report.repository = session.repository;
  try {
    const { report: plan } = await session.run(true);
    report.branch = plan.branch;
    report.github = { checked: true, reason: '' };
    report.findings.push(...githubFindings(plan.changes, session.repository));
  } catch (err) {
    // A read-only token (a CI GITHUB_TOKEN, a triage user) cannot see protection: say so rather than fail.
    if (err instanceof CliError && err.hint === ADMIN_HINT) {
      const needs = (err as PermissionError).needs;
      report.github.reason = needs
        ? `not checked: needs ${needs} (the token cannot read ${session.repository}'s protection settings)`
        : `not checked: the token cannot read ${session.repository}'s protection settings (needs admin rights: "Administration: read")`;
      return;
    }
    throw err;
  }
}
