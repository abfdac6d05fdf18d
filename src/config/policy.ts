/** The deployment environment the deploy workflow targets and protect restricts to the protected branch. */
export const DEPLOY_ENVIRONMENT = 'production';
