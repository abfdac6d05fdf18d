import type { Check } from '../core/check.js';

/** Hook health comes from doctor (installed, active, runnable, and a staged fake token really blocked). */
export async function auditHooks(root: string, env: NodeJS.ProcessEnv): Promise<Check[]> {
  // Hooks are state of one clone (and signing of one person): a CI checkout has neither, and the scheduled audit
  // would otherwise report drift every day. CI runs the same scan server-side instead.
  if (env.CI && env.CI !== 'false') {
    return [
      {
        area: 'hooks',
        id: 'hook-ci',
        status: 'info',
        target: 'git hooks',
        message: 'not checked in CI: hooks live in each clone; the PR workflow runs the same scan',
      },
    ];
  }
  const { runDoctor } = await import('../hooks/doctor.js');
  // Doctor already answers in the shared Check model, with the same ids.
  return (await runDoctor(root, env)).checks;
}
