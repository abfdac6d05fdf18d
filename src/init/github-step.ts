import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/types.js';
import type { Detection } from '../detect/types.js';
import type { ExternalIntent } from '../changes/types.js';

/**
 * The CODEOWNERS text as it will be once init has written its files: plan and apply must judge code-owner review
 * on the same input, and the plan runs before anything is written.
 */
async function plannedCodeowners(det: Detection, config: Config): Promise<string | null> {
  const { planTemplates } = await import('../templates/index.js');
  const intent = planTemplates(det, config).find((i) => i.kind === 'file' && /(^|\/)CODEOWNERS$/.test(i.path));
  if (!intent || intent.kind !== 'file') return null;
  const current = await fsp.readFile(path.join(det.root, intent.path), 'utf8').catch(() => null);
  const out = intent.render(current);
  return 'content' in out ? out.content : current;
}

/** The last step of init: branch protection and repository settings, or a clear skip when they cannot apply. */
export function githubIntent(
  det: Detection,
  config: Config,
  o: { repo?: string; apiUrl?: string; branch?: string; env: NodeJS.ProcessEnv },
): ExternalIntent {
  const target = o.repo ?? (det.remote ? `${det.remote.owner}/${det.remote.name}` : 'GitHub');
  const skip = (note: string): ExternalIntent => ({
    kind: 'external',
    target: `GitHub protection (${target})`,
    reason: 'branch protection and security settings through the GitHub API',
    plan: () => Promise.resolve({ action: 'skip', note }),
    apply: () => Promise.resolve({ action: 'skip', note }),
  });
  if (!o.repo && !det.remote) return skip('no origin remote; run `secure-repo protect --repo OWNER/NAME` later');
  if (!o.repo && det.remote && !det.remote.isGitHub) return skip(`origin is on ${det.remote.host}, not GitHub`);
  // Deferred import: octokit loads only when this step actually runs.
  let inner: Promise<ExternalIntent> | undefined;
  const load = () =>
    (inner ??= Promise.all([
      import('../github/index.js'),
      import('../templates/facts.js'),
      plannedCodeowners(det, config),
    ]).then(([m, facts, codeowners]) =>
      m.protectIntent({
        root: det.root,
        config,
        detection: det,
        repo: o.repo,
        branch: o.branch,
        apiUrl: o.apiUrl ?? (o.env.GITHUB_API_URL || det.remote?.apiUrl),
        env: o.env,
        workflows: facts.pullRequestWorkflowFacts(det, config),
        codeowners,
      }),
    ));
  return {
    kind: 'external',
    target: `GitHub protection (${target})`,
    reason: 'branch protection and security settings through the GitHub API',
    plan: async () => (await load()).plan(),
    apply: async () => (await load()).apply(),
  };
}
