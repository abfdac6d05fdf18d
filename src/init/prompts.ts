import { STAGES, HOOK_MANAGERS, type Stage } from '../config/types.js';
import type { InitChoices } from './config-file.js';

const STAGE_HELP: Record<Stage, string> = {
  code: 'pre-commit/pre-push hooks, PR scan of every commit',
  build: 'CodeQL SAST, dependency review, OSV-Scanner, SBOM, full-history secret scan',
  package: 'hardened Dockerfile, image build with SBOM + provenance, cosign keyless signing',
  test: 'ZAP baseline DAST, IaC scanning, image scanning gate',
  release: 'Conftest policies, signature and SBOM verification before release',
  deploy: 'default-deny NetworkPolicies, mTLS, Falco runtime rules, OIDC deploys',
  operate: 'OpenSSF Scorecard, scheduled drift audit',
};

/** Asks for the choices init makes. Loaded only on a TTY without --yes, so nothing else pays for inquirer. */
export async function askChoices(
  defaults: InitChoices,
  applicable: Stage[],
  opts: { askBranch?: boolean } = {},
): Promise<InitChoices> {
  const { checkbox, select, confirm, input } = await import('@inquirer/prompts');
  const stages = await checkbox<Stage>({
    message: 'Stages to set up',
    choices: STAGES.map((s) => ({
      value: s,
      short: s,
      name: `${s.padEnd(8)} ${STAGE_HELP[s]}${applicable.includes(s) ? '' : ' (nothing detected for it)'}`,
      checked: defaults.stages.includes(s),
    })),
  });
  // No stage: no hooks, no policy to set, nothing more to ask.
  if (stages.length === 0) return { ...defaults, stages };
  const hooks = stages.includes('code');
  const manager = hooks
    ? await select({
        message: 'Install the git hooks with',
        default: defaults.manager,
        choices: HOOK_MANAGERS.map((m) => ({ value: m, name: m === 'git' ? 'plain git hooks (core.hooksPath)' : m })),
      })
    : defaults.manager;
  let branch = defaults.branch;
  if (opts.askBranch) {
    branch =
      (
        await input({
          message: 'Branch to protect (no remote says which is the default; recorded in .secure-repo.yml)',
          default: defaults.branch ?? 'main',
        })
      ).trim() || defaults.branch;
  }
  const requiredApprovals = await select<number | 'auto'>({
    message: 'Approving reviews required before merging',
    default: defaults.requiredApprovals,
    choices: [
      {
        value: 'auto',
        name: 'auto: 0 while you are the only maintainer (you cannot approve your own pull request), 1 once others can review',
      },
      ...[0, 1, 2, 3].map((n) => ({ value: n, name: String(n) })),
    ],
  });
  const requireSignedCommits = hooks
    ? await confirm({
        message: `Require signed commits on ${branch ?? 'the default branch'}? (pushes to it are refused until each developer has set up signing: \`secure-repo signing\`)`,
        default: defaults.requireSignedCommits,
      })
    : defaults.requireSignedCommits;
  let prePushTests = defaults.prePushTests;
  if (hooks && defaults.testCommand) {
    prePushTests = await confirm({
      message: `Run \`${defaults.testCommand}\` before every push?`,
      default: defaults.prePushTests,
    });
  }
  return { ...defaults, stages, manager, branch, requiredApprovals, requireSignedCommits, prePushTests };
}

export async function confirmApply(count: number): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message: count === 1 ? 'Apply this change?' : `Apply these ${count} changes?`, default: true });
}

export async function confirmGitInit(dir: string): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message: `${dir} is not a git repository. Run \`git init\` there?`, default: true });
}

export async function confirmNested(dir: string, parent: string): Promise<boolean> {
  const { confirm } = await import('@inquirer/prompts');
  return confirm({
    message: `${dir} is inside the repository ${parent}. Create a separate repository there anyway?`,
    default: false,
  });
}
