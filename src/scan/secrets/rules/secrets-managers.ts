import { ALNUM, B64URL, assignedRule, tokenRule, type SecretRule } from '../rule.js';

/** Secrets managers: HashiCorp Vault, Doppler, 1Password, Infisical, age. Their tokens unlock every other secret. */
export const secretsManagerRules: SecretRule[] = [
  tokenRule({
    id: 'vault-service-token',
    description: 'HashiCorp Vault service token',
    severity: 'critical',
    parts: ['hvs.', [B64URL, 90, 120]],
    rotate: 'Revoke it: `vault token revoke <accessor>`; prefer short-lived tokens from an auth method.',
  }),
  tokenRule({ id: 'vault-batch-token', description: 'HashiCorp Vault batch token', severity: 'critical', parts: ['hvb.', [B64URL, 138, 300]] }),
  tokenRule({ id: 'vault-recovery-token', description: 'HashiCorp Vault recovery token', severity: 'critical', parts: ['hvr.', [B64URL, 90, 120]] }),
  assignedRule({
    id: 'vault-legacy-token',
    description: 'HashiCorp Vault token (legacy s. form)',
    severity: 'high',
    names: 'vault[_.-]?token',
    sampleNames: ['VAULT_TOKEN', 'vault_token'],
    keywords: ['vault'],
    value: ['s.', [ALNUM, 24]],
    entropy: 3.5,
  }),
  tokenRule({
    id: 'doppler-token',
    description: 'Doppler token',
    severity: 'critical',
    // Service tokens name their config: dp.st.<config>.<token>.
    parts: ['dp.', { oneOf: ['pt.', 'st.', 'ct.', 'sa.', 'scim.', 'audit.'] }, { re: '(?:[a-z0-9_-]{1,40}\\.)?', text: '' }, [ALNUM, 40, 44]],
    rotate: 'Doppler dashboard → Access: revoke the token.',
  }),
  tokenRule({ id: 'onepassword-service-account-token', description: '1Password service account token', severity: 'critical', parts: ['ops_eyJ', [B64URL, 250, 1000], ['=', 0, 2]] }),
  tokenRule({ id: 'infisical-token', description: 'Infisical service token', severity: 'critical', parts: ['st.', ['a-f0-9-', 36], '.', ['a-f0-9', 32], '.', ['a-f0-9', 32]] }),
  tokenRule({
    id: 'age-secret-key',
    description: 'age encryption secret key',
    severity: 'critical',
    parts: ['AGE-SECRET-KEY-1', ['QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58]],
  }),
];
