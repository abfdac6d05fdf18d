import type { SettingChange } from '../github/types.js';
import type { AuditFinding } from './types.js';

/** Live GitHub settings against the policy: what `protect` would change is drift. */
export function githubFindings(changes: SettingChange[], repository: string): AuditFinding[] {
  const fix = `Run \`secure-repo protect --repo ${repository}\` (add --dry-run to see the requests first).`;
  return changes.map((c) => {
    const base = { area: 'github' as const, check: `github-${c.setting}`, target: c.setting };
    switch (c.action) {
      case 'create':
      case 'update':
        return { ...base, status: 'drift' as const, message: `${c.action === 'create' ? 'not set' : 'differs'}: ${c.reason}`, fix };
      case 'skip':
        return { ...base, status: 'info' as const, message: `not checked: ${c.reason}` };
      case 'failed':
        return { ...base, status: 'drift' as const, message: c.reason, fix };
      default:
        return { ...base, status: 'ok' as const, message: c.reason };
    }
  });
}
