/** The deployment environment the deploy workflow targets and protect restricts to the protected branch. */
export const DEPLOY_ENVIRONMENT = 'production';

/**
 * The repository variable the generated workflows read to decide whether SARIF goes to code scanning ('true') or is
 * kept as an artifact ('false'); unset: public repositories upload, private ones keep artifacts. protect keeps it
 * right for the repository's code scanning (available or not, default setup on or off).
 */
export const CODE_SCANNING_VARIABLE = 'SECURE_REPO_CODE_SCANNING';
