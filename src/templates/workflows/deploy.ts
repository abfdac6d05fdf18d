import { DEPLOY_ENVIRONMENT } from '../../config/policy.js';
import { defaultBranch, type TemplateContext } from '../context.js';
import { checkout, job } from '../workflow/build.js';
import type { WorkflowFile } from '../workflow/types.js';

const DEPLOY_WORKFLOW = '.github/workflows/secure-repo-deploy.yml';

/**
 * Deploys with short-lived cloud credentials from GitHub's OIDC token (no stored cloud keys), behind a protected
 * environment. Off until the repository sets the SECURE_REPO_DEPLOY variable, so a fresh repository never fails here.
 */
export function deployWorkflow(ctx: TemplateContext): WorkflowFile {
  const { pins } = ctx;
  return {
    path: DEPLOY_WORKFLOW,
    reason: 'deploy: OIDC-federated deploy of deploy/k8s behind the protected "production" environment',
    workflow: {
      name: 'secure-repo deploy',
      on: { push: { branches: [defaultBranch(ctx)] }, workflow_dispatch: null },
      permissions: {},
      concurrency: { group: 'secure-repo-deploy', 'cancel-in-progress': false },
      jobs: {
        deploy: job(pins, {
          name: 'deploy',
          if: "vars.SECURE_REPO_DEPLOY == 'true'",
          environment: { name: DEPLOY_ENVIRONMENT },
          permissions: { contents: 'read', 'id-token': 'write' },
          timeout: 20,
          steps: [
            checkout(pins),
            {
              name: 'Exchange the GitHub OIDC token for short-lived AWS credentials',
              if: "vars.AWS_ROLE_ARN != ''",
              env: { AWS_ROLE_ARN: '${{ vars.AWS_ROLE_ARN }}', AWS_REGION: '${{ vars.AWS_REGION }}' },
              run: [
                'token=$(curl --fail --silent --show-error -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=sts.amazonaws.com" | jq -r .value)',
                'echo "::add-mask::$token"',
                'creds=$(aws sts assume-role-with-web-identity --role-arn "$AWS_ROLE_ARN" --role-session-name "gh-$GITHUB_RUN_ID" --web-identity-token "$token" --duration-seconds 900 --query Credentials --output json)',
                'for k in AccessKeyId SecretAccessKey SessionToken; do echo "::add-mask::$(jq -r ".$k" <<<"$creds")"; done',
                '{',
                '  echo "AWS_ACCESS_KEY_ID=$(jq -r .AccessKeyId <<<"$creds")"',
                '  echo "AWS_SECRET_ACCESS_KEY=$(jq -r .SecretAccessKey <<<"$creds")"',
                '  echo "AWS_SESSION_TOKEN=$(jq -r .SessionToken <<<"$creds")"',
                '  echo "AWS_DEFAULT_REGION=$AWS_REGION"',
                '} >> "$GITHUB_ENV"',
              ].join('\n'),
            },
            {
              name: 'Point kubectl at the cluster',
              if: "vars.EKS_CLUSTER != ''",
              env: { EKS_CLUSTER: '${{ vars.EKS_CLUSTER }}' },
              run: 'aws eks update-kubeconfig --name "$EKS_CLUSTER"',
            },
            {
              name: 'Apply the manifests (the namespace first)',
              // -R reads files in name order, and mtls.yaml sorts before namespace.yaml: create the namespace first.
              run: 'kubectl apply --server-side --filename deploy/k8s/namespace.yaml\nkubectl apply --server-side --recursive --filename deploy/k8s',
            },
          ],
        }),
      },
    },
  };
}
