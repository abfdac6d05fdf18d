import type { Config } from '../config/types.js';
import type { Detection } from '../detect/types.js';
import type { ExternalIntent } from '../changes/types.js';

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
    (inner ??= import('../github/index.js').then((m) =>
      m.protectIntent({
        root: det.root,
        config,
        detection: det,
        repo: o.repo,
        branch: o.branch,
        apiUrl: o.apiUrl ?? (o.env.GITHUB_API_URL || det.remote?.apiUrl),
        env: o.env,
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
