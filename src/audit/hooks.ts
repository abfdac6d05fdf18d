import type { AuditFinding } from './types.js';

/** Hook health comes from doctor (installed, active, runnable, and a staged fake token really blocked). */
export async function auditHooks(root: string, env: NodeJS.ProcessEnv): Promise<AuditFinding[]> {
  const { runDoctor } = await import('../hooks/doctor.js');
  const report = await runDoctor(root, env);
  return report.checks.map((c) => ({
    area: 'hooks' as const,
    check: `hook-${c.id}`,
    status: c.status === 'fail' ? ('drift' as const) : c.status === 'warn' ? ('warning' as const) : c.status === 'info' ? ('info' as const) : ('ok' as const),
    target: report.manager ? `${report.manager} hooks` : 'git hooks',
    message: c.detail,
    ...(c.fix ? { fix: c.fix } : {}),
  }));
}
