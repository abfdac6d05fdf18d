import { validBase62Crc, withBase62Crc } from '../checksum.js';
import type { Rng } from '../random.js';
import { ALNUM, B64URL, HEX, assignedRule, tokenRule, type SecretRule } from '../rule.js';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** GitHub's prefixed tokens carry a CRC32 of their random part; the sample mints one the way GitHub does. */
function githubToken(id: string, prefix: string, description: string, severity: SecretRule['severity'], rotate: string): SecretRule {
  const sample = (rng: Rng) => prefix + withBase62Crc(rng.chars(BASE62, 30));
  return tokenRule({
    id,
    description,
    severity,
    parts: [prefix, [ALNUM, 36]],
    validate: validBase62Crc,
    sample,
    rotate,
    // Right shape, wrong checksum: a typo or a made-up fixture, not a live token.
    negative: [prefix + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'],
  });
}

const GITHUB_ROTATE = 'GitHub → Settings → Developer settings → tokens: revoke it (or ask an org owner); see https://docs.github.com/en/authentication';

/** Code hosts: GitHub (every token kind), GitLab, Bitbucket, and other developer platforms' tokens. */
export const codeHostRules: SecretRule[] = [
  githubToken('github-pat', 'ghp_', 'GitHub personal access token (classic)', 'critical', GITHUB_ROTATE),
  githubToken('github-oauth-token', 'gho_', 'GitHub OAuth access token', 'critical', GITHUB_ROTATE),
  githubToken('github-user-to-server-token', 'ghu_', 'GitHub App user-to-server token', 'critical', GITHUB_ROTATE),
  githubToken('github-server-to-server-token', 'ghs_', 'GitHub App installation (server-to-server) token', 'high', GITHUB_ROTATE),
  githubToken('github-refresh-token', 'ghr_', 'GitHub App refresh token', 'high', GITHUB_ROTATE),
  tokenRule({
    id: 'github-fine-grained-pat',
    description: 'GitHub fine-grained personal access token',
    severity: 'critical',
    parts: ['github_pat_', [ALNUM, 22], '_', [ALNUM, 59]],
    rotate: GITHUB_ROTATE,
  }),
  tokenRule({ id: 'gitlab-pat', description: 'GitLab personal, project or group access token', severity: 'critical', parts: ['glpat-', [B64URL, 20, 60]], entropy: 3 }),
  tokenRule({ id: 'gitlab-pipeline-trigger-token', description: 'GitLab pipeline trigger token', severity: 'high', parts: ['glptt-', [HEX, 40]] }),
  tokenRule({ id: 'gitlab-runner-registration-token', description: 'GitLab runner registration token', severity: 'high', parts: ['GR1348941', [B64URL, 20]] }),
  tokenRule({ id: 'gitlab-runner-auth-token', description: 'GitLab runner authentication token', severity: 'high', parts: ['glrt-', [B64URL, 20, 60]], entropy: 3 }),
  tokenRule({ id: 'gitlab-deploy-token', description: 'GitLab deploy token', severity: 'high', parts: ['gldt-', [B64URL, 20, 60]], entropy: 3 }),
  tokenRule({ id: 'gitlab-feed-token', description: 'GitLab feed token', severity: 'medium', parts: ['glft-', [B64URL, 20, 60]], entropy: 3 }),
  tokenRule({ id: 'gitlab-oauth-app-secret', description: 'GitLab OAuth application secret', severity: 'high', parts: ['gloas-', [HEX, 64]] }),
  tokenRule({ id: 'gitlab-scim-token', description: 'GitLab SCIM OAuth token', severity: 'high', parts: ['glsoat-', [B64URL, 20, 60]], entropy: 3 }),
  tokenRule({ id: 'gitlab-ci-build-token', description: 'GitLab CI/CD job token', severity: 'high', parts: ['glcbt-', [B64URL, 20, 60]], entropy: 3 }),
  tokenRule({ id: 'gitlab-incoming-mail-token', description: 'GitLab incoming mail token', severity: 'medium', parts: ['glimt-', ['a-z0-9', 25]] }),
  tokenRule({ id: 'gitlab-agent-token', description: 'GitLab agent for Kubernetes token', severity: 'high', parts: ['glagent-', [B64URL, 50]] }),
  tokenRule({ id: 'gitlab-feature-flags-token', description: 'GitLab feature flags client token', severity: 'medium', parts: ['glffct-', [B64URL, 20, 60]], entropy: 3 }),
  tokenRule({ id: 'bitbucket-app-password', description: 'Bitbucket app password', severity: 'high', parts: ['ATBB', [ALNUM, 32]], entropy: 3.5 }),
  tokenRule({ id: 'atlassian-api-token', description: 'Atlassian (Jira, Confluence, Bitbucket) API token', severity: 'high', parts: ['ATATT3', ['A-Za-z0-9_=-', 180, 200]] }),
  // Tokens issued before the ATATT3 form: 24 alphanumerics, recognisable only by the product's name.
  assignedRule({
    id: 'atlassian-api-token-legacy',
    description: 'Atlassian (Jira, Confluence) API token, older 24-character form',
    severity: 'high',
    names: '(?:atlassian|jira|confluence)[_.-]?(?:api[_.-]?)?(?:token|key)',
    sampleNames: ['JIRA_API_TOKEN', 'confluence_token', 'ATLASSIAN_API_KEY'],
    keywords: ['atlassian', 'jira', 'confluence'],
    value: [[ALNUM, 24]],
    entropy: 3.5,
    validate: (v) => /[0-9]/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v),
  }),
  // Instance tokens carry a 16-hex instance id or `local`; the first form had none. The hex is in either case.
  tokenRule({ id: 'sourcegraph-access-token', description: 'Sourcegraph access token', severity: 'high', parts: ['sgp_', { re: '(?:[a-fA-F0-9]{16}_|local_)?', text: 'local_' }, ['a-fA-F0-9', 40]], entropy: 3 }),
  assignedRule({
    id: 'sourcegraph-token-legacy',
    description: 'Sourcegraph access token (bare 40-hex form, by name)',
    severity: 'high',
    names: 'sourcegraph(?:[_.-]?(?:access[_.-]?)?token)?',
    sampleNames: ['SOURCEGRAPH_TOKEN', 'sourcegraph', 'sourcegraph_access_token'],
    keywords: ['sourcegraph'],
    value: [['a-fA-F0-9', 40]],
    entropy: 3,
  }),
  tokenRule({ id: 'sonarqube-token', description: 'SonarQube / SonarCloud token', severity: 'high', parts: [{ oneOf: ['squ_', 'sqp_', 'sqa_'] }, [HEX, 40]] }),
  tokenRule({ id: 'circleci-pat', description: 'CircleCI personal API token', severity: 'high', parts: ['CCIPAT_', [ALNUM, 22], '_', [HEX, 40]] }),
  tokenRule({ id: 'buildkite-token', description: 'Buildkite API access token', severity: 'high', parts: ['bkua_', [HEX, 40]] }),
  tokenRule({ id: 'harness-token', description: 'Harness personal or service account token', severity: 'high', parts: [{ oneOf: ['pat.', 'sat.'] }, [B64URL, 22], '.', [HEX, 24], '.', [ALNUM, 20]] }),
  tokenRule({ id: 'octopus-deploy-api-key', description: 'Octopus Deploy API key', severity: 'high', parts: ['API-', ['A-Z0-9', 26, 32]], entropy: 3.5 }),
  tokenRule({ id: 'postman-api-key', description: 'Postman API key', severity: 'high', parts: ['PMAK-', [HEX, 24], '-', [HEX, 34]] }),
  tokenRule({ id: 'linear-api-key', description: 'Linear API key', severity: 'high', parts: ['lin_api_', [ALNUM, 40]] }),
  tokenRule({ id: 'linear-oauth-token', description: 'Linear OAuth access token', severity: 'high', parts: ['lin_oauth_', [HEX, 64]] }),
  tokenRule({ id: 'databricks-token', description: 'Databricks personal access token', severity: 'critical', parts: ['dapi', [HEX, 32]], entropy: 3 }),
  tokenRule({ id: 'figma-pat', description: 'Figma personal access token', severity: 'medium', parts: ['figd_', [B64URL, 40]] }),
  tokenRule({ id: 'notion-integration-token', description: 'Notion integration token', severity: 'high', parts: ['ntn_', ['0-9', 11], [ALNUM, 35]] }),
  tokenRule({ id: 'airtable-pat', description: 'Airtable personal access token', severity: 'high', parts: ['pat', [ALNUM, 14], '.', [HEX, 64]] }),
  tokenRule({ id: 'contentful-pat', description: 'Contentful personal access token', severity: 'high', parts: ['CFPAT-', [B64URL, 43]] }),
  tokenRule({ id: 'readme-api-key', description: 'ReadMe API key', severity: 'medium', parts: ['rdme_', ['a-z0-9', 70]] }),
  tokenRule({ id: 'prefect-api-key', description: 'Prefect API key', severity: 'high', parts: ['pnu_', [ALNUM, 36]] }),
  tokenRule({ id: 'planetscale-token', description: 'PlanetScale service token or password', severity: 'critical', parts: [{ oneOf: ['pscale_tkn_', 'pscale_pw_', 'pscale_oauth_'] }, [B64URL, 43]] }),
  tokenRule({ id: 'clickup-api-token', description: 'ClickUp personal API token', severity: 'medium', parts: ['pk_', ['0-9', 6, 10], '_', ['A-Z0-9', 32]] }),
  tokenRule({ id: 'typeform-token', description: 'Typeform personal access token', severity: 'medium', parts: ['tfp_', ['A-Za-z0-9_.-', 59]] }),
  tokenRule({ id: 'deno-deploy-token', description: 'Deno Deploy access token', severity: 'high', parts: [{ oneOf: ['ddp_', 'ddw_'] }, [ALNUM, 36]] }),
  tokenRule({ id: 'render-api-key', description: 'Render API key', severity: 'high', parts: ['rnd_', [ALNUM, 32]] }),
];
