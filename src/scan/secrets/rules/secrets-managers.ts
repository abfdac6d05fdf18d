import { createRng } from '../random.js';
import { ALNUM, B64URL, customRule, examplesLater, type SecretRule, seedOf, tokenRule } from '../rule.js';

const VAULT_B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Vault tokens before 1.10 are `s.` and 24 base62 characters: too short a prefix to stand alone, so a token name
 * must come first, assigned (`VAULT_TOKEN=`, `token: `) or as the `token` row of `vault token create` output.
 */
const vaultLegacy = customRule({
  id: 'vault-legacy-token',
  description: 'HashiCorp Vault token (legacy s. form)',
  severity: 'high',
  tier: 'contextual',
  // The literal comes first so the regex engine can skip to it; what may precede it is checked in validate.
  regex: /token["']?(?:[ \t]{0,4}(?::=|=>|=|:)[ \t]{0,4}|[ \t]{2,40})["'`]?(s\.[A-Za-z0-9]{24})(?![A-Za-z0-9_])/gi,
  keywords: ['token'],
  entropy: 3.5,
  validate: (v, m) => {
    // `token`, `VAULT_TOKEN`, `vault_client_token`, but not `access_token` or `csrftoken`.
    const name = /[A-Za-z0-9_]*$/.exec(m.input.slice(Math.max(0, m.index - 40), m.index))![0];
    if (!/^(?:vault[_.-]?)?(?:client[_.-]?)?$/i.test(name)) return false;
    // Real tokens mix cases and digits; a run of letters is a word (`s.someLongPropertyNameHere`).
    return /[0-9]/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v);
  },
  examples: { positive: [], negative: [] },
  sample: (rng) => {
    const body = `${rng.chars(VAULT_B62, 20)}${rng.int(0, 9)}Qx${rng.int(0, 9)}`;
    return rng.pick([`VAULT_TOKEN=s.${body}`, `token                s.${body}`, `  token: "s.${body}"`]);
  },
  rotate: 'Revoke it: `vault token revoke <token>`; prefer short-lived tokens from an auth method.',
});
examplesLater(vaultLegacy, () => {
  const r = createRng(seedOf(vaultLegacy.id));
  vaultLegacy.examples.positive = [vaultLegacy.sample(r), vaultLegacy.sample(r), vaultLegacy.sample(r)];
  vaultLegacy.examples.negative = [
    'token: s.AbcdefghijklmnopqrstuvwX',
    `VAULT_ADDR=s.${r.chars(VAULT_B62, 24)}`,
    'token = s.Length',
    `access_token: s.${r.chars(VAULT_B62, 20)}Qx${r.int(0, 9)}9`,
  ];
});

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
  vaultLegacy,
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
