/** The deployment environment the deploy workflow targets and protect restricts to the protected branch. */
export const DEPLOY_ENVIRONMENT = 'production';

/**
 * The repository variable the generated workflows read to decide whether SARIF goes to code scanning ('true') or is
 * kept as an artifact ('false'); unset: public repositories upload, private ones keep artifacts. protect keeps it
 * right for the repository's code scanning (available or not, default setup on or off).
 */
export const CODE_SCANNING_VARIABLE = 'SECURE_REPO_CODE_SCANNING';

/**
 * The environment the scheduled audit's admin-read job runs in, limited to the protected branch: its
 * SECURE_REPO_AUDIT_TOKEN secret is given only to jobs running on that branch, never to a workflow a writer pushes
 * on another branch (as a repository secret would be).
 */
export const AUDIT_ENVIRONMENT = 'secure-repo-audit';

/** The audit token's secret name, stored in AUDIT_ENVIRONMENT (`gh secret set ... --env secure-repo-audit`). */
export const AUDIT_TOKEN_SECRET = 'SECURE_REPO_AUDIT_TOKEN';

/**
 * The repository variable that says AUDIT_ENVIRONMENT exists and is limited to the protected branch ('true'); any
 * other value or unset: the audit workflow runs with the default token only. protect keeps it right per plan.
 */
export const AUDIT_ENVIRONMENT_VARIABLE = 'SECURE_REPO_AUDIT_ENVIRONMENT';
