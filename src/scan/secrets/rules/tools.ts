import { createRng } from '../random.js';
import { customRule, seedOf, type SecretRule } from '../rule.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const UPPER = 'ABCDEFGHJKLMNPQRSTVWXYZ23456789';

/** `curl -u user:password` / `--user`: a password typed into a command line, shell history or CI script. */
const curlUser = customRule({
  id: 'curl-basic-auth',
  description: 'Password passed to curl with -u/--user',
  severity: 'high',
  tier: 'contextual',
  regex: /\bcurl\b[^\n]{0,200}?\s(?:-u|--user)\s{1,4}["']?([^\s"':{}]{0,64}["']?:["']?[^\s"']{6,128})["']?/g,
  keywords: ['curl'],
  entropy: 3,
  validate: (secret) => {
    const password = secret.slice(secret.indexOf(':') + 1).replace(/^["']/, '');
    return password.length >= 6 && !/^\$|\$\{|\$\(/.test(password) && /[0-9]/.test(password) && /[A-Za-z]/.test(password);
  },
  examples: { positive: [], negative: [] },
  sample: (rng) => `curl -s --user 'deploy:${rng.chars(ALNUM, 14)}7' https://registry.acme-corp.io/v2/`,
  rotate: 'Change the account password (or revoke the API key used as one), then pass it from an environment variable or a netrc file outside the repository.',
});
{
  const r = createRng(seedOf(curlUser.id));
  curlUser.examples.positive = [curlUser.sample(r)];
  curlUser.examples.negative = ['curl -u "$USER:$PASSWORD" https://api.acme-corp.io', 'curl -u admin: https://localhost:9200'];
}

/** `curl -H "Authorization: Basic|Token|Api-Token …"`: the header value is the credential. */
const curlHeader = customRule({
  id: 'curl-auth-header',
  description: 'Credential in a curl Authorization header',
  severity: 'high',
  tier: 'contextual',
  regex:
    /\bcurl\b[^\n]{0,300}?(?:-H|--header)\s{1,4}["'](?:Authorization|Api-Token|X-Api-Key|Token):\s{0,4}(?:(?:Basic|Token|Api-Token)\s{1,4})?([A-Za-z0-9+/=_.~-]{12,500})["']/gi,
  keywords: ['curl'],
  entropy: 3.2,
  validate: (secret) => /[0-9]/.test(secret) && /[A-Za-z]/.test(secret),
  examples: { positive: [], negative: [] },
  sample: (rng) => `curl -H "Authorization: Token ${rng.chars(HEX, 40)}" https://api.acme-corp.io/v1/items`,
});
{
  const r = createRng(seedOf(curlHeader.id));
  curlHeader.examples.positive = [curlHeader.sample(r)];
  curlHeader.examples.negative = ['curl -H "Authorization: Token $API_TOKEN" https://api.acme-corp.io', 'curl -H "Content-Type: application/json"'];
}

/** A 1Password account Secret Key (`A3-` and seven groups): with the account password it opens the vault. */
const onepasswordSecretKey = customRule({
  id: 'onepassword-secret-key',
  description: '1Password account Secret Key',
  severity: 'critical',
  tier: 'specific',
  regex: /(?<![A-Za-z0-9-])(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})(?![A-Za-z0-9-])/g,
  keywords: ['a3-'],
  entropy: 3.5,
  // A key typed into a file sits on a short line; a long one is embedded JSON (a scanner's own sample, a source map).
  maxLineLength: 500,
  skipPaths: /\.map$/,
  examples: { positive: [], negative: [] },
  sample: (rng) =>
    `A3-${rng.chars(UPPER, 6)}-${rng.chars(UPPER, 6)}-${rng.chars(UPPER, 5)}-${rng.chars(UPPER, 5)}-${rng.chars(UPPER, 5)}-${rng.chars(UPPER, 5)}`,
  rotate: '1Password: regenerate the Secret Key (Profile → Secret Key) and sign in again on every device.',
});
{
  const r = createRng(seedOf(onepasswordSecretKey.id));
  onepasswordSecretKey.examples.positive = [onepasswordSecretKey.sample(r)];
  onepasswordSecretKey.examples.negative = ['A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX'];
}

/** A Canarytokens management link: its `auth` value lets anyone read or disable the canary. */
const canary = customRule({
  id: 'canarytoken-auth',
  description: 'Canarytokens management link (token and auth)',
  severity: 'medium',
  tier: 'specific',
  regex: /canarytokens\.(?:org|com)\/(?:manage|history|download)\?token=[a-z0-9]{20,32}&auth=([a-f0-9]{32})(?![a-f0-9])/g,
  keywords: ['canarytokens.'],
  examples: { positive: [], negative: [] },
  sample: (rng) => `https://canarytokens.org/manage?token=${rng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 25)}&auth=${rng.chars(HEX, 32)}`,
});
{
  const r = createRng(seedOf(canary.id));
  canary.examples.positive = [canary.sample(r)];
  canary.examples.negative = ['https://canarytokens.org/generate'];
}

/** Credentials in command lines and tool configuration: curl, 1Password, Canarytokens. */
export const toolRules: SecretRule[] = [curlUser, curlHeader, onepasswordSecretKey, canary];
