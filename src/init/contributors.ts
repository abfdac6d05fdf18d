import type { Config } from '../config/types.js';
import type { Detection } from './detect/types.js';
import type { Intent } from './plan/types.js';

export interface ContributorOptions {
  packageSpec: string;
  install: boolean;
}

/** Everything init puts into a repository, in apply order (templates and hooks are wired in as they land). */
export function repositoryIntents(_det: Detection, _config: Config, _opts: ContributorOptions): Intent[] {
  return [];
}
