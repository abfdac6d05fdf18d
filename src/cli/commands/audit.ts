import { oneOf, parseFlags } from '../args.js';
import type { Command, CommandContext } from '../../core/context.js';
import type { Check } from '../../core/check.js';
import { CliError } from '../../core/errors.js';
import { atomicWrite } from '../../core/fs.js';
import { workTreeRoot } from '../../core/git.js';
import { colorEnabled, palette } from '../../core/style.js';
import type { AuditReport } from '../../audit/types.js';
import type { PermissionError } from '../../github/errors.js';

const HELP = `Usage: secure-repo audit [--repo OWNER/NAME] [--api-url URL] [--branch NAME]
                         [--format text|json|sarif|markdown|jsonl] [--output FILE] [--ocsf FILE]
                         [--baseline FILE] [--write-baseline] [--state FILE] [--no-state] [--since DAYS]
                         [--admission-policy FILE] [--no-github] [--no-operate] [--mode auto|classic|rulesets] [--verbose]

Checks the repository against its policy (.secure-repo.yml) and what happened in its pipelines:
  files     every file init generates is present and current (an edited generated file is a warning)
  hooks     the pre-commit and pre-push hooks are installed, active, runnable and block a staged fake token
  github    with a token: the live branch protection / ruleset and security settings match the policy
  operate   every workflow's risks and every image reference; with a token: run history, pushes and rule
            bypasses, access changes against the reviewed baseline, Actions settings, security workflows
            switched off, images jobs pulled, alert hygiene. A part the token cannot read is reported as
            "not checked: needs <permission>", never as a pass.

In the generated audit workflow the default token cannot read admin-only settings. A token that can is read only
from the "secure-repo-audit" environment, which only the protected branch may use (protect makes it where the plan
has environments): gh secret set SECURE_REPO_AUDIT_TOKEN --env secure-repo-audit

  --format jsonl       OCSF findings, one a line (created, updated and closed since the last audit)
  --ocsf FILE          also write those OCSF lines to FILE (for a SIEM or an artifact)
  --baseline FILE      the reviewed baseline (default .secure-repo/operate-baseline.json)
  --write-baseline     write the baseline from what exists now, to review and commit; nothing is audited
  --state FILE         what the last audit saw (default: inside .git, per clone); --no-state ignores it
  --since DAYS         days of activity to read when there is no state yet (default 7)
  --admission-policy FILE  write a Kyverno policy admitting only the baseline's allowed images

Exit codes: 0 nothing failed, 1 drift, a failing check or new suspicious activity, 2 error.
`;

export const command: Command = {
  summary: 'check files, live GitHub settings and pipeline activity against the policy',
  help: HELP,
  async run(args: string[], ctx: CommandContext): Promise<number> {
    const { values, positionals } = parseFlags('audit', args, {
      repo: { type: 'string' },
      branch: { type: 'string' },
      'api-url': { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string' },
      ocsf: { type: 'string' },
      baseline: { type: 'string' },
      'write-baseline': { type: 'boolean' },
      state: { type: 'string' },
      'no-state': { type: 'boolean' },
      since: { type: 'string' },
      'admission-policy': { type: 'string' },
      mode: { type: 'string' },
      'no-github': { type: 'boolean' },
      'no-operate': { type: 'boolean' },
      verbose: { type: 'boolean' },
    });
    if (positionals.length)
      throw new CliError(
        `audit takes no arguments (got "${positionals.join(' ')}").`,
        'Run it inside the repository; use --repo for the GitHub part.',
      );
    const format = oneOf('format', values.format, ['text', 'json', 'sarif', 'markdown', 'jsonl'] as const, 'text');
    const mode = oneOf('mode', values.mode, ['auto', 'classic', 'rulesets'] as const, 'auto');
    const sinceDays = values.since === undefined ? 7 : Number(values.since.replace(/d$/, ''));
    if (!Number.isFinite(sinceDays) || sinceDays <= 0 || sinceDays > 400)
      throw new CliError(
        `--since must be a number of days between 1 and 400 (got "${values.since}").`,
        'For example: --since 30.',
      );

    const top = await workTreeRoot(ctx.cwd);
    if (!top)
      throw new CliError('not inside a git work tree.', 'Run `secure-repo audit` inside the repository to audit.');
    const root = top;
    const { loadConfig } = await import('../../config/load.js');
    const { config } = await loadConfig(root);
    const { detect } = await import('../../detect/index.js');
    const detection = await detect(root);

    const gh = values['no-github']
      ? null
      : await openSession({ root, config, detection, ctx, values, mode: values.mode ? mode : config.protection.mode });
    if (values['write-baseline']) return writeBaseline(root, gh, values.baseline, ctx);

    const checks: Check[] = [];
    if (!values['write-baseline']) {
      const { auditFiles } = await import('../../audit/files.js');
      const { auditHooks } = await import('../../audit/hooks.js');
      checks.push(...(await auditFiles(detection, config)), ...(await auditHooks(root, ctx.env)));
    }
    const { summarize } = await import('../../audit/types.js');
    const report: AuditReport = {
      version: 1,
      root,
      repository: gh?.session?.repository ?? null,
      branch: null,
      github: { checked: false, reason: values['no-github'] ? 'disabled by --no-github' : gh!.reason },
      operate: { since: null, baseline: null, notes: [] },
      summary: summarize([]),
      checks,
    };
    if (gh?.session) await auditSettings(report, gh.session);

    let ocsf = '';
    if (!values['no-operate']) {
      const { auditOperate } = await import('../../audit/operate/audit.js');
      const op = await auditOperate({
        root,
        session: gh?.session ?? null,
        offlineReason: values['no-github'] ? 'disabled by --no-github' : gh!.reason,
        config,
        baselinePath: values.baseline,
        statePath: values['no-state'] ? null : values.state,
        sinceDays,
        version: ctx.version,
      });
      checks.push(...op.checks);
      report.operate = op.summary;
      ocsf = op.ocsf;
      if (values['admission-policy']) {
        if (!op.imagePolicy)
          throw new CliError(
            '--admission-policy needs an image allow-list in the baseline ("images": {"allow": [...]}).',
            'Run `secure-repo audit --write-baseline` to start one from the images in use, review it, then run again.',
          );
        const { admissionPolicy } = await import('../../audit/operate/images/policy.js');
        await atomicWrite(values['admission-policy'], admissionPolicy(op.imagePolicy));
      }
    }
    report.summary = summarize(checks);

    if (values.ocsf) await atomicWrite(values.ocsf, ocsf);
    const fmt = await import('../../audit/format.js');
    const toFile = Boolean(values.output);
    const text =
      format === 'json'
        ? fmt.formatJson(report)
        : format === 'sarif'
          ? fmt.formatSarif(report, ctx.version)
          : format === 'markdown'
            ? fmt.formatMarkdown(report)
            : format === 'jsonl'
              ? ocsf
              : fmt.formatText(report, palette(!toFile && colorEnabled(ctx.stdout)), Boolean(values.verbose));
    if (values.output) await atomicWrite(values.output, text);
    else ctx.stdout.write(text);
    return report.summary.fail > 0 ? 1 : 0;
  },
};

type Session = NonNullable<Awaited<ReturnType<typeof import('../../github/index.js').ProtectSession.open>>>;

async function openSession(a: {
  root: string;
  config: import('../../config/types.js').Config;
  detection: import('../../detect/types.js').Detection;
  ctx: CommandContext;
  values: { repo?: string | undefined; branch?: string | undefined; 'api-url'?: string | undefined };
  mode: 'auto' | 'classic' | 'rulesets';
}): Promise<{ session: Session | null; reason: string }> {
  const { ProtectSession } = await import('../../github/index.js');
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
  try {
    const session = await ProtectSession.open(opts);
    return session
      ? { session, reason: '' }
      : { session: null, reason: 'no token (set GITHUB_TOKEN or GH_TOKEN, or log in with `gh auth login`)' };
  } catch (err) {
    // No GitHub remote and no --repo: there is nothing live to compare, which is not an error for an audit.
    if (err instanceof CliError && /no GitHub repository/.test(err.message))
      return { session: null, reason: 'no GitHub remote (origin) and no --repo' };
    throw err;
  }
}

/** Live protection and security settings against the policy (exactly what `protect` would change). */
async function auditSettings(report: AuditReport, session: Session): Promise<void> {
  const { ADMIN_HINT } = await import('../../github/errors.js');
  const { githubFindings } = await import('../../audit/github.js');
  try {
    const { report: plan } = await session.run(true);
    report.branch = plan.branch;
    report.github = { checked: true, reason: '' };
    report.checks.push(...githubFindings(plan.changes, session.repository));
  } catch (err) {
    // A read-only token (a CI GITHUB_TOKEN, a triage user) cannot see protection: say so rather than fail.
    if (err instanceof CliError && err.hint === ADMIN_HINT) {
      const needs = (err as PermissionError).needs ?? 'Administration: read';
      report.github.reason = `not checked: needs ${needs} (the token cannot read ${session.repository}'s protection settings)`;
      report.checks.push({
        id: 'github-protection',
        area: 'github',
        status: 'not-checked',
        target: 'branch protection and security settings',
        message: `the token cannot read ${session.repository}'s protection settings`,
        needs,
      });
      return;
    }
    throw err;
  }
}

async function writeBaseline(
  root: string,
  gh: { session: Session | null; reason: string } | null,
  file: string | undefined,
  ctx: CommandContext,
): Promise<number> {
  const { writeOperateBaseline } = await import('../../audit/operate/audit.js');
  const { path, skipped } = await writeOperateBaseline(root, gh?.session ?? null, file);
  ctx.stdout.write(
    `Wrote ${path}: review it and commit it through a pull request; the audit reports what differs from it.\n`,
  );
  for (const s of skipped) ctx.stderr.write(`not recorded (kept as before): ${s}\n`);
  return 0;
}
