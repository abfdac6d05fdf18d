/**
 * The one required status check. Every generated workflow's gate jobs feed a single aggregator job with this name
 * (`needs:` all, `if: always()`), and branch protection requires exactly this context: read from here, never retyped.
 */
export const REQUIRED_CHECK_JOB_ID = 'security-gate';
export const REQUIRED_CHECK_NAME = 'security-gate';
