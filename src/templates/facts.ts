import type { Config } from '../config/types.js';
import type { Detection } from '../detect/types.js';
import { renderWorkflows, type RenderOptions } from './index.js';

/** What the pull-request workflows depend on, for protect to tell whether their required check can ever pass. */
export interface PullRequestWorkflowFacts {
  /** `owner/repo[/path]` of every remote action they use (the repository's "allowed actions" setting decides). */
  actions: string[];
  /** They run CodeQL in advanced setup, whose uploads GitHub refuses while code scanning default setup is on. */
  advancedCodeql: boolean;
}

/** The actions of the workflows a pull request runs: those it triggers and the reusable ones they call. */
export function pullRequestWorkflowFacts(det: Detection, config: Config, opts: RenderOptions = {}): PullRequestWorkflowFacts {
  const actions = new Set<string>();
  for (const w of renderWorkflows(det, config, opts)) {
    if (w.workflow.on.pull_request === undefined && w.workflow.on.workflow_call === undefined) continue;
    for (const job of Object.values(w.workflow.jobs)) {
      const uses = 'steps' in job ? job.steps.map((s) => s.uses) : [job.uses];
      for (const u of uses) if (u && !u.startsWith('./') && !u.startsWith('docker://')) actions.add(u.split('@')[0]!);
    }
  }
  const list = [...actions].sort();
  return { actions: list, advancedCodeql: list.some((a) => a === 'github/codeql-action/analyze') };
}
