import type { Change } from '../changes/types.js';
import { AUDIT_ENVIRONMENT, AUDIT_TOKEN_SECRET, DEPLOY_ENVIRONMENT } from '../config/policy.js';
import type { Check } from '../core/check.js';

/** Live GitHub settings against the policy: what `protect` would change is drift. */
export function githubFindings(changes: Change[], repository: string): Check[] {
  const protect = `Run \`secure-repo protect --repo ${repository}\` (add --dry-run to see the requests first).`;
  // An environment can also be fixed by hand, and the page to do it on is not obvious.
  const envFix = (env: string) =>
    `${protect} Or on GitHub: Settings → Environments → ${env} → Deployment branches and tags: ` +
    '"Selected branches and tags", with one branch rule naming the protected branch and no other.';
  const pruneFix = (env: string) =>
    `Run \`secure-repo protect --prune --repo ${repository}\`, or delete those patterns under Settings → Environments → ${env} → Deployment branches and tags.`;
  const envOf = (target: string): string | null =>
    target === 'deploy-environment' || target.startsWith('environment-')
      ? DEPLOY_ENVIRONMENT
      : target === 'audit-environment' || target.startsWith('audit-environment-')
        ? AUDIT_ENVIRONMENT
        : null;
  return changes.map((c) => {
    const env = envOf(c.target);
    const fix = env ? envFix(env) : protect;
    const base = { area: 'github' as const, id: `github-${c.target}`, target: c.target };
    // protect keeps a user's extra deployment patterns (no write without --prune), but other branches may deploy: drift.
    if (env && c.target.endsWith('other-branches') && c.action === 'unchanged') {
      return { ...base, status: 'fail' as const, message: c.reason, fix: pruneFix(env) };
    }
    // protect never deletes a secret, but a repository secret holding the admin token is readable from any branch.
    if (c.target === 'audit-token-repository-secret') {
      return {
        ...base,
        status: 'fail' as const,
        message: c.reason,
        fix: `Store it in the environment (\`gh secret set ${AUDIT_TOKEN_SECRET} --env ${AUDIT_ENVIRONMENT} --repo ${repository}\`, where the plan has environments), then \`gh secret delete ${AUDIT_TOKEN_SECRET} --repo ${repository}\`.`,
      };
    }
    // No token stored yet is a choice, not drift: the workflow then reports admin-only settings as not checked.
    if (c.target === 'audit-token' && c.action === 'unchanged' && c.reason.startsWith('not stored'))
      return {
        ...base,
        status: 'info' as const,
        message: c.reason,
        fix: `To read them: \`gh secret set ${AUDIT_TOKEN_SECRET} --env ${AUDIT_ENVIRONMENT} --repo ${repository}\` (a token with Administration: read).`,
      };
    switch (c.action) {
      case 'create':
      case 'update':
        return {
          ...base,
          status: 'fail' as const,
          message: `${c.action === 'create' ? 'not set' : 'differs'}: ${c.reason}`,
          fix,
        };
      case 'skip':
        return { ...base, status: 'not-checked' as const, message: c.reason, ...(c.needs ? { needs: c.needs } : {}) };
      case 'failed':
        return { ...base, status: 'fail' as const, message: c.reason, fix };
      default:
        return { ...base, status: 'pass' as const, message: c.reason };
    }
  });
}
