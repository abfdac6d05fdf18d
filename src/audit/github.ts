import type { Change } from '../changes/types.js';
import { DEPLOY_ENVIRONMENT } from '../config/policy.js';
import type { Check } from '../core/check.js';

/** Live GitHub settings against the policy: what `protect` would change is drift. */
export function githubFindings(changes: Change[], repository: string): Check[] {
  const protect = `Run \`secure-repo protect --repo ${repository}\` (add --dry-run to see the requests first).`;
  // The deploy environment can also be fixed by hand, and the page to do it on is not obvious.
  const envFix =
    `${protect} Or on GitHub: Settings → Environments → ${DEPLOY_ENVIRONMENT} → Deployment branches and tags: ` +
    '"Selected branches and tags", with one branch rule naming the protected branch and no other.';
  const pruneFix = `Run \`secure-repo protect --prune --repo ${repository}\`, or delete those patterns under Settings → Environments → ${DEPLOY_ENVIRONMENT} → Deployment branches and tags.`;
  return changes.map((c) => {
    const fix = c.target === 'deploy-environment' || c.target.startsWith('environment-') ? envFix : protect;
    const base = { area: 'github' as const, id: `github-${c.target}`, target: c.target };
    // protect keeps a user's extra deployment patterns (no write without --prune), but other branches may deploy: drift.
    if (c.target === 'environment-other-branches' && c.action === 'unchanged') {
      return { ...base, status: 'fail' as const, message: c.reason, fix: pruneFix };
    }
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
