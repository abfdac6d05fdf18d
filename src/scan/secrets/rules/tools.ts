import { createRng } from '../random.js';
import { customRule, examplesLater, type SecretRule, seedOf } from '../rule.js';
import { shannonEntropy } from '../entropy.js';
import { isPlaceholder } from '../placeholders.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';
const UPPER = 'ABCDEFGHJKLMNPQRSTVWXYZ23456789';

/**
 * A curl command may run over several lines: `\` continuations (also inside a `#` comment block), or options
 * indented on the lines after it. Up to six such lines are read before the option. Each line can be matched one way
 * only: a continuation line's indentation is part of its `[^\n]` run (an `[ \t#]{0,8}` of its own, overlapping that
 * run, let a failed match retry every split of the indentation on every line: 31 ms for one curl command over seven
 * lines indented by eight spaces, against 10 µs now).
 */
const CURL_LINES = String.raw`\bcurl\b(?:[^\n]{0,300}?(?:\\\r?\n|\r?\n[ \t#]{1,8}(?=-))){0,6}?[^\n]{0,300}?`;

/** `{value}` around a real value (`--user "{id}":"{key}"`); a name in braces (`{password}`) stays a placeholder. */
const unbrace = (v: string): string => v.replace(/^\{([^{}]*)\}$/, '$1');

/** What a `user:password` after -u holds: the password, or the user alone when it is an API key (`-u key:`). */
function curlCredential(secret: string): string | null {
  const bare = secret.replace(/["']/g, '');
  const braced = /^\{[^{}]*\}:/.exec(bare);
  const colon = braced ? braced[0].length - 1 : bare.indexOf(':');
  if (colon === -1) return null;
  const user = unbrace(bare.slice(0, colon));
  const password = unbrace(bare.slice(colon + 1));
  const value = password || user;
  if (/^\$|\$\{|\$\(|\{\{/.test(value) || isPlaceholder(value)) return null;
  // A password may be short and simple; a user that stands alone must look like a key.
  if (password) return password.length >= 6 && /[0-9]/.test(password) && /[A-Za-z]/.test(password) ? password : null;
  return user.length >= 10 && /[0-9]/.test(user) && /[A-Za-z]/.test(user) && shannonEntropy(user) >= 3 ? user : null;
}

/** `curl -u user:password` / `--user`: a password typed into a command line, shell history or CI script. */
const curlUser = customRule({
  id: 'curl-basic-auth',
  description: 'Password passed to curl with -u/--user',
  severity: 'high',
  tier: 'contextual',
  regex: new RegExp(
    String.raw`${CURL_LINES}\s(?:-u|--user)(?:=|\s{1,4})["']?((?:\{[^\s"'{}]{1,64}\}|[^\s"':{}]{0,64})["']?:["']?(?:\{[^\s"'{}]{3,128}\}|[^\s"']{0,128}))["']?(?=[\s\\]|$)`,
    'g',
  ),
  keywords: ['curl'],
  entropy: 2.5,
  ownPlaceholderCheck: true,
  validate: (secret) => curlCredential(secret) !== null,
  examples: { positive: [], negative: [] },
  sample: (rng) => `curl -s --user 'deploy:${rng.chars(ALNUM, 14)}7' https://registry.acme-corp.io/v2/`,
  rotate: 'Change the account password (or revoke the API key used as one), then pass it from an environment variable or a netrc file outside the repository.',
});
examplesLater(curlUser, () => {
  const r = createRng(seedOf(curlUser.id));
  const key = `${r.chars(ALNUM, 14)}4q`;
  curlUser.examples.positive = [
    curlUser.sample(r),
    `curl -u "${key}:" https://api.acme-corp.io/v1/charges`,
    `curl https://api.acme-corp.io/oauth2/token \\\n  --user ${r.chars(ALNUM, 12)}:${r.chars(ALNUM, 12)}9 --data grant_type=client_credentials`,
    `curl -X POST --user "{${r.chars(HEX, 8)}-${r.chars(HEX, 4)}}":"{${key}}" https://api.acme-corp.io/v1/translate`,
  ];
  curlUser.examples.negative = [
    'curl -u "$USER:$PASSWORD" https://api.acme-corp.io',
    'curl -u admin: https://localhost:9200',
    'curl --user "{username}":"{password}" https://api.acme-corp.io',
    'curl https://api.acme-corp.io\n\nlater: -u deploy:Passw0rd123',
  ];
});

/** `curl -H "Authorization: Basic|Token|Api-Token …"`, `-H "X-<Vendor>-ApiKey: …"`: the header value is the credential. */
const curlHeader = customRule({
  id: 'curl-auth-header',
  description: 'Credential in a curl Authorization header',
  severity: 'high',
  tier: 'contextual',
  regex: new RegExp(
    String.raw`${CURL_LINES}(?:-H|--header)\s{1,4}["'](?:X-[A-Za-z0-9-]{1,40}-)?(?:Authorization|Api-?Token|Api-?Key|X-Api-Key|Token|Auth-Token|Access-Token|Private-Token):\s{0,4}(?:(?:Basic|Token|Api-Token)\s{1,4})?([A-Za-z0-9+/=_.~@-]{8,500})["']`,
    'gi',
  ),
  keywords: ['curl'],
  entropy: 2.8,
  validate: (secret) => /[0-9]/.test(secret) && /[A-Za-z]/.test(secret),
  examples: { positive: [], negative: [] },
  sample: (rng) => `curl -H "Authorization: Token ${rng.chars(HEX, 40)}" https://api.acme-corp.io/v1/items`,
});
examplesLater(curlHeader, () => {
  const r = createRng(seedOf(curlHeader.id));
  curlHeader.examples.positive = [
    curlHeader.sample(r),
    `curl -X GET https://deploy.acme-corp.io/api/projects\n     -H "X-Deploy-ApiKey: ${r.chars(HEX, 8)}-${r.chars(HEX, 4)}-4${r.chars(HEX, 3)}"`,
    `curl -X POST https://api.acme-corp.io/v3/messages \\\n  -H 'Authorization: Basic ${Buffer.from(`api:${r.chars(ALNUM, 20)}`).toString('base64')}' \\\n  -F to=ops@acme-corp.io`,
    `curl -XPOST https://api.acme-corp.io/tasks -H "Token: ${r.chars(HEX, 15)}7"`,
  ];
  curlHeader.examples.negative = [
    'curl -H "Authorization: Token $API_TOKEN" https://api.acme-corp.io',
    'curl -H "Content-Type: application/json"',
    'curl -H "X-Request-Id: 4f1c2a9e-77b3-4c1d-9e2a-1b2c3d4e5f60" https://api.acme-corp.io',
  ];
});

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
examplesLater(onepasswordSecretKey, () => {
  const r = createRng(seedOf(onepasswordSecretKey.id));
  onepasswordSecretKey.examples.positive = [onepasswordSecretKey.sample(r)];
  onepasswordSecretKey.examples.negative = ['A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX'];
});

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
examplesLater(canary, () => {
  const r = createRng(seedOf(canary.id));
  canary.examples.positive = [canary.sample(r)];
  canary.examples.negative = ['https://canarytokens.org/generate'];
});

/** A password typed into a credentials file: long enough, not a variable or a placeholder, not one word. */
function typedPassword(v: string): boolean {
  return (
    v.length >= 8 &&
    !/^\$|\$\{|\$\(|\{\{/.test(v) &&
    !isPlaceholder(v) &&
    /[0-9]/.test(v) &&
    /[A-Za-z]/.test(v) &&
    shannonEntropy(v) >= 3
  );
}

/**
 * `.netrc` entries (`machine host login user password secret`, on one line or several), also as written by CI
 * scripts (`echo "machine github.com login x password …" > ~/.netrc`): curl, git, ftp and pip read them.
 */
const netrc = customRule({
  id: 'netrc-password',
  description: 'Password in a .netrc machine entry',
  severity: 'high',
  tier: 'contextual',
  regex: /\bmachine[ \t]{1,8}[^\s"']{1,253}(?:\s{1,16}login[ \t]{1,8}[^\s"']{1,253})?\s{1,16}password[ \t]{1,8}([^\s"']{1,256})/g,
  keywords: ['machine'],
  validate: (v) => typedPassword(v),
  examples: { positive: [], negative: [] },
  sample: (rng) => `machine api.acme-corp.io login deploy password ${rng.chars(ALNUM, 14)}7`,
  rotate: 'Change the password (or revoke the token used as one) and keep ~/.netrc out of the repository.',
});
examplesLater(netrc, () => {
  const r = createRng(seedOf(netrc.id));
  netrc.examples.positive = [
    netrc.sample(r),
    `machine git.acme-corp.io\n  login ci-bot\n  password ${r.chars(HEX, 39)}a`,
  ];
  netrc.examples.negative = [
    'machine imap.acme-corp.io login someone@acme-corp.io password pass123',
    'echo "machine github.com login x password $GITHUB_TOKEN" > ~/.netrc',
    'the machine password is stored in the keychain',
  ];
});

/**
 * PostgreSQL's password file: `host:port:database:user:password` per line. Only a file named `.pgpass` has that
 * meaning; the same colon-separated line elsewhere is anything.
 */
const pgpass = customRule({
  id: 'pgpass-password',
  description: 'Password in a PostgreSQL .pgpass file',
  severity: 'high',
  tier: 'contextual',
  regex: /^[ \t]{0,4}[^\s:#][^\s:]{0,252}:(?:\d{1,5}|\*):[^\s:]{1,128}:[^\s:]{1,128}:([^\s]{1,256})[ \t]{0,4}\r?$/gm,
  keywords: [],
  skipPaths: /^(?!(?:.*\/)?\.pgpass$)/,
  samplePath: 'db/.pgpass',
  validate: (v) => typedPassword(v),
  examples: { positive: [], negative: [] },
  sample: (rng) => `db.acme-corp.internal:5432:orders:app:${rng.chars(ALNUM, 14)}7`,
  rotate: 'Change the database password (ALTER ROLE … PASSWORD) and keep .pgpass out of the repository.',
});
examplesLater(pgpass, () => {
  const r = createRng(seedOf(pgpass.id));
  pgpass.examples.positive = [pgpass.sample(r), `*:*:*:replicator:${r.chars(ALNUM, 20)}2`];
  pgpass.examples.negative = ['#hostname:port:database:username:password', 'localhost:5432:database:root:password'];
});

/** Credentials in command lines and tool configuration: curl, .netrc, .pgpass, 1Password, Canarytokens. */
export const toolRules: SecretRule[] = [curlUser, curlHeader, netrc, pgpass, onepasswordSecretKey, canary];
