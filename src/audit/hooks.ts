import type { AuditFinding } from './types.js';

/** Hook health comes from doctor (installed, active, runnable, and a staged fake token really blocked). */
export async function auditHooks(root: string, env: NodeJS.ProcessEnv): Promise<AuditFinding[]> {
  // Hooks are state of one clone (and signing of one person): a CI checkout has neither, and the scheduled audit
  // would otherwise report drift every day. CI runs the same scan server-side instead.
  if (env.CI && env.CI !== 'false') {
    return [{ area: 'hooks', check: 'hook-ci', status: 'info', target: 'git hooks', message: 'not checked in CI: hooks live in each clone; the PR workflow runs the same scan' }];
  }
  const { runDoctor } = await import('../hooks/doctor.js');
  const report = await runDoctor(root, env);
  return report.checks.map((c) => ({
    area: 'hooks' as const,
    check: c.id,
    status: c.status === 'fail' ? ('drift' as const) : c.status === 'warn' ? ('warning' as const) : c.status === 'pass' ? ('ok' as const) : ('info' as const),
    target: c.target,
    message: c.message,
    ...(c.fix ? { fix: c.fix } : {}),
  }));
}
