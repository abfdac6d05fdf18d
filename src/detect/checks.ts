import type { Config } from '../config/types.js';
import type { Detection } from './types.js';
import { gateStages } from './stages.js';

/**
 * The one required status check. Every generated workflow's gate jobs feed a single aggregator job with this name
 * (`needs:` all, `if: always()`), and branch protection requires exactly this context: read from here, never retyped.
 */
export const REQUIRED_CHECK_JOB_ID = 'security-gate';
export const REQUIRED_CHECK_NAME = 'security-gate';

/**
 * The status checks branch protection should require for this repository: the aggregator alone when the
 * pull-request workflow is generated (any gate stage selected), none otherwise (a required check that no workflow
 * reports would block every merge), plus the user's extra checks from the config.
 */
export function requiredChecks(det: Detection, config: Config): string[] {
  const ours = gateStages(det, config).length > 0 ? [REQUIRED_CHECK_NAME] : [];
  return [...ours, ...config.protection.extraRequiredChecks.filter((c) => c !== REQUIRED_CHECK_NAME)];
}
