/**
 * What each GitHub plan offers on a repository, by visibility and owner type. Public repositories get every feature
 * below on every plan; private ones depend on the plan.
 */
import type { RepoState } from '../github-server.js';

export type Feature = 'branch-protection' | 'rulesets' | 'environments' | 'code-scanning' | 'secret-scanning';

/** Plans as GET /user and GET /orgs/{org} name them. ASSUMED: "team" and "enterprise" for organizations. */
export type PlanName = 'free' | 'pro' | 'team' | 'enterprise';

/**
 * Private repositories, per feature: the plans (and licences) that have it.
 * - Branch protection: "Protected branches are available in public repositories with GitHub Free and GitHub Free for
 *   organizations, and in public and private repositories with GitHub Pro, GitHub Team, GitHub Enterprise Cloud"
 *   (docs.github.com, "About protected branches").
 * - Rulesets: the same wording (docs.github.com, "About rulesets" / "Managing rulesets for a repository").
 * - Environments: "For access to environments ... in private or internal repositories, you must use GitHub Pro,
 *   GitHub Team, or GitHub Enterprise" (docs.github.com, "Managing environments for deployment").
 * - Code scanning: private repositories need GitHub Code Security (formerly Advanced Security), sold to organizations
 *   on Team or Enterprise (docs.github.com, "About code scanning", "About GitHub Advanced Security"); personal
 *   accounts cannot buy it.
 * - Secret scanning on private repositories: GitHub Secret Protection, organizations only (same pages).
 */
export function planAllows(
  r: Pick<RepoState, 'private' | 'plan' | 'ownerType' | 'advancedSecurity'>,
  feature: Feature,
): boolean {
  if (!r.private) return true;
  const paid = r.plan !== 'free';
  switch (feature) {
    case 'branch-protection':
    case 'rulesets':
    case 'environments':
      return paid;
    case 'code-scanning':
    case 'secret-scanning':
      return r.ownerType === 'Organization' && paid && r.advancedSecurity;
  }
}

/** GitHub's answer when the plan rules a feature out (the text GitHub sends for protection and rulesets). */
export const PLAN_MESSAGE = 'Upgrade to GitHub Pro or make this repository public to enable this feature.';

/**
 * Code scanning endpoints on a repository without the licence. ASSUMED wording (widely quoted in issue threads, e.g.
 * github/codeql-action discussions): "Advanced Security must be enabled for this repository to use code scanning."
 */
export const CODE_SCANNING_MESSAGE = 'Advanced Security must be enabled for this repository to use code scanning.';
