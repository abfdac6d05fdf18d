/**
 * The provider family of a rule id: a finding matches a planted credential when file, line and family agree, so a
 * GitHub token reported as `github-pat` or `github-fine-grained-pat` both count, a Slack token as `generic-secret`
 * does not.
 */
const SPECIAL: Record<string, string> = {
  'npmrc-auth-token': 'npm',
  'npm-access-token': 'npm',
  'database-url-credentials': 'url',
  'url-credentials': 'url',
  'connection-string-password': 'url',
  'docker-config-auth': 'docker',
  'pypi-upload-token': 'pypi',
  'http-bearer-token': 'generic',
  'generic-secret': 'generic',
  'gcp-service-account-key': 'gcp',
};

export function familyOf(ruleId: string): string {
  if (SPECIAL[ruleId]) return SPECIAL[ruleId];
  if (ruleId.startsWith('private-key-')) return 'private-key';
  return ruleId.split('-')[0]!;
}
