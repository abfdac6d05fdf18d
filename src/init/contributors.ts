import type { Config } from '../config/types.js';
import type { Detection } from '../detect/types.js';
import type { Intent } from '../changes/types.js';
import { planTemplates } from '../templates/index.js';
import { toolLockIntents } from '../templates/files/tool-lock.js';
import { planHooks } from '../hooks/install/index.js';

export interface ContributorOptions {
  packageSpec: string;
  install: boolean;
}

/**
 * Everything init puts into a repository, in apply order: workflow and repository files per stage, then the hooks
 * (files, git config, package install). The GitHub step is added by the caller, last, because it needs a token.
 */
export function repositoryIntents(det: Detection, config: Config, opts: ContributorOptions): Intent[] {
  const hooks = config.stages.includes('code')
    ? planHooks(det, config, { packageSpec: opts.packageSpec, install: opts.install })
    : [];
  return [...planTemplates(det, config), ...toolLockIntents(det, config, opts), ...hooks];
}
