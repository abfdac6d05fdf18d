/**
 * Whether the workflows can ever report the required check. A required check nothing reports leaves every pull
 * request waiting forever, so protect does not require one that cannot run (and says why).
 */
import type { ActionsState, LiveState } from './types.js';

export interface WorkflowFacts {
  /** `owner/repo[/path]` of every action the generated pull-request workflows use. */
  actions: string[];
  /** They run CodeQL in advanced setup (github/codeql-action/analyze). */
  advancedCodeql: boolean;
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');

/**
 * Actions the repository's "allowed actions" setting refuses (docs.github.com/rest/actions/permissions):
 * `local_only` allows none from other repositories; `selected` allows GitHub-owned ones when `github_owned_allowed`,
 * and those matching `patterns_allowed` (e.g. `owner/repo@*`, `owner/*`; our references are commit SHAs).
 * Marketplace verified creators cannot be told apart here: with `verified_allowed` they are counted as allowed.
 */
function refusedActions(a: ActionsState, actions: string[]): string[] {
  if (a.allowed === 'all') return [];
  if (a.allowed === 'local_only') return actions;
  const sel = a.selected;
  if (!sel) return [];
  return actions.filter((uses) => {
    const owner = uses.split('/')[0]!.toLowerCase();
    if (sel.githubOwned && (owner === 'actions' || owner === 'github')) return false;
    if (sel.verified) return false;
    const ref = `${uses}@${'0'.repeat(40)}`;
    return !sel.patterns.some((p) => glob(p).test(ref) || glob(p).test(uses));
  });
}

/** Why the generated workflows can never report a passing check here, or null. */
export function checkCannotPass(
  live: Pick<LiveState, 'actions' | 'defaultSetup'> & Partial<Pick<LiveState, 'codeScanningVariable'>>,
  wf: WorkflowFacts | undefined,
): string | null {
  const a = live.actions;
  if (a && !a.enabled)
    return 'GitHub Actions is disabled for this repository (Settings → Actions → General), so no workflow runs';
  if (a && wf) {
    const refused = refusedActions(a, wf.actions);
    if (refused.length) {
      const where = a.allowed === 'local_only' ? 'only actions from this repository' : 'only selected actions';
      return `the repository's Actions settings allow ${where}, and the workflows use ${refused.join(', ')}, so their runs fail before any job starts (allow them under Settings → Actions → General → "Allow ... actions")`;
    }
  }
  // protect turns the workflows' CodeQL off through their code scanning variable when it can write it.
  if (live.defaultSetup === 'configured' && wf?.advancedCodeql && !live.codeScanningVariable) {
    return 'code scanning default setup is on, and while it is GitHub refuses the CodeQL results of the generated workflow ("CodeQL analyses from advanced configurations cannot be processed when the default setup is enabled"), so that job fails (switch default setup off under Settings → Code security, or keep it and drop the generated CodeQL job)';
  }
  return null;
}
