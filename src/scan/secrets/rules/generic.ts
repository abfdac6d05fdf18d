import { createRng, type Rng } from '../random.js';
import { ASSIGNMENT_STYLES, customRule, seedOf, type SecretRule } from '../rule.js';
import { shannonEntropy } from '../entropy.js';

const NAME_KEYWORDS =
  'secret|token|passw(?:or)?d|passwd|pwd|api[_.-]?key|access[_.-]?key|auth[_.-]?key|private[_.-]?key|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key|credentials?';

/**
 * Names that contain a secret word but hold something else: public keys, hashes, sizes, URLs, identifiers,
 * references to where the secret lives (`secret_name`, `token_url`, `passwordField`).
 */
const NOT_A_SECRET_NAME =
  /public|pub[_.-]?key|hash|(?:^|[_.-])sha\d*(?:[_.-]|$)|sha\d{1,3}|md5|digest|checksum|integrity|fingerprint|nonce|csrf|xsrf|length|count|size|max[_.-]|[_.-]max|type|name|url|uri|endpoint|path|file|prefix|suffix|field|label|placeholder|header|policy|expir|ttl|timeout|format|regex|pattern|(?:^|[_.-])ref(?:[_.-]|$)|Ref$|arn|usage|tokeniz|tokens|_id$|[a-z]Id$|\.id$|^id$|version|example|sample|dummy|test|mock|fake/i;

/** Languages where an unquoted right-hand side is code (a variable, a call), never a literal secret. */
const CODE_FILE = /\.(?:[cm]?[jt]sx?|py|java|kt|kts|scala|go|rs|rb|php|cs|swift|c|cc|cpp|h|hpp|m|dart|lua|groovy|vue|svelte)$/i;

/**
 * Keys that are public by design and look like secrets under a secret-sounding name: an Algolia DocSearch /
 * search-only key is meant to ship in every page of a documentation site.
 */
const PUBLIC_BY_DESIGN: { name: RegExp; context: RegExp }[] = [
  { name: /^(?:api[_-]?key|search[_-]?(?:only[_-]?)?(?:api[_-]?)?key)$/i, context: /docsearch|algolia|indexName|appId\s*:/i },
];

/** Values that are code, references or known public formats rather than literal secrets. */
function valueLooksLiteralSecret(value: string, quoted = false): boolean {
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  if (/[^\x21-\x7e]/.test(value)) return false; // UI text in another script, not a typed-in key
  if (/:\/\/|^\/|^\.\.?\/|^~\/|^[A-Za-z]:\\/.test(value)) return false; // URL or path
  if (/\.(?:json|pem|key|crt|cer|p12|pfx|txt|ya?ml|env|js|ts|py|rb|go|html|png|jpg|svg|sh|exe|zip|gz)$/i.test(value)) return false;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return false; // process.env.X, config.auth.token
  // A call, an expression, a format placeholder ({ENCODED_PASSWORD}); inside quotes a long random string may hold
  // brackets too (a Django SECRET_KEY draws from `!@#$%^&*(-_=+)`).
  if (/[()[\]{}]/.test(value) && !(quoted && value.length >= 32 && shannonEntropy(value) >= 4.5)) return false;
  if (/^[A-Za-z_$][\w$]*$/.test(value) && value.includes('$')) return false; // bundler-renamed identifier (Token$1)
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) return false; // UUID
  if (/^(?:sha(?:1|256|384|512)|md5)[-:]/i.test(value) || /^data:/i.test(value)) return false; // integrity, data URI
  if (/^0x[0-9a-f]{8,}$/i.test(value)) return false; // Ethereum address, compressed public key, contract, tx hash
  if (/^v?\d+(?:\.\d+){1,3}(?:[-+][\w.]+)?$/.test(value)) return false; // version
  if (/^[A-Z][A-Z0-9_]+$/.test(value) && value.includes('_')) return false; // CONSTANT_NAME
  // a digit run is taken whole ((?!\d)): `\d+` inside the repeated group could split it every way (ReDoS)
  if (/^(?:[A-Z]?[a-z]+|\d+)(?:[A-Z][a-z]+|\d+(?!\d)|[_-][a-z]+)+$/.test(value)) return false; // camelCase words
  // An identifier that names itself a token or secret (tmpTokenJ12934, passwordInput2): a variable, not a value.
  if (/^[A-Za-z_][\w]*$/.test(value) && /token|secret|passw|pwd|key|auth|cred/i.test(value)) return false;
  // A slug of words (how-to-rotate-keys-2019, my-app-secret-v2): text, not a random string.
  if (/^[a-z0-9]+(?:-[a-z0-9]+){2,}$/.test(value) && (value.match(/(?:^|-)[a-z]{3,}(?=-|$)/g)?.length ?? 0) >= 2) return false;
  return shannonEntropy(value) >= (value.length < 20 ? 3.2 : 3.5);
}

function assignmentIsSecret(value: string, match: RegExpExecArray, path: string): boolean {
  const text = match.input;
  let start = match.index;
  while (start > 0 && start > match.index - 40 && /[A-Za-z0-9_.-]/.test(text[start - 1]!)) start--;
  const before = text[start - 1] ?? '';
  // `image/wrongsecrets:1.0`, `?secret=…&issuer=`, `user@token…`: part of a path, URL or reference, not a name.
  if (/[/@?&:%#]/.test(before)) return false;
  const fullName = text.slice(start, match.index) + match[1]! + match[2]!;
  if (NOT_A_SECRET_NAME.test(fullName)) return false;
  // A value the 200-character cap cut short is a blob (ciphertext, embedded data), not a typed-in secret.
  if (/[^\s"'`;,<>&]/.test(text[match.index + match[0].length] ?? '')) return false;
  const [, , , closeQuote, sep, space, quote] = match;
  // `name:value` with no quote and no space is not YAML or JSON: a filename:rule:line entry, an image tag.
  if (sep === ':' && !closeQuote && !space && !quote) return false;
  if (quote) {
    const end = match.index + match[0].length;
    // A carriage return pasted inside the quotes (`"…=\r"` in a shell history) still closes on the quote.
    const after = text[end] === '\r' ? text[end + 1] : text[end];
    if (after !== quote) return false;
  } else if (CODE_FILE.test(path)) return false; // unquoted in code: a variable or expression
  const bare = fullName.replace(/^[^A-Za-z]+/, '');
  if (PUBLIC_BY_DESIGN.some((p) => p.name.test(bare) && p.context.test(text))) return false;
  return valueLooksLiteralSecret(value, quote !== '');
}

const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const NAMES = ['API_KEY', 'client_secret', 'db_password', 'authToken', 'SECRET_KEY', 'signing_key', 'webhook_secret', 'apiKey', 'ACCESS_TOKEN', 'encryption_key'];

function genericSample(rng: Rng): string {
  const body = rng.chars(CHARS, rng.int(18, 36));
  const value = `${body.slice(0, 4)}${rng.int(0, 9)}${rng.pick(['q', 'Z', 'm'])}${body.slice(4)}`;
  return rng.pick(ASSIGNMENT_STYLES)(rng.pick(NAMES), value);
}

const generic = customRule({
  id: 'generic-secret',
  description: 'Secret-looking value assigned to a secret-looking name',
  severity: 'medium',
  tier: 'generic',
  // Same line only ([ \t], never \s): a Makefile target `secret:` is not assigned the next line.
  regex: new RegExp(
    `(${NAME_KEYWORDS})([A-Za-z0-9_.-]{0,24})(["'\\]]?)[ \\t]{0,4}(:=|=>|=|:)([ \\t]{0,4})(["'\`]?)([^\\s"'\`;,<>&]{10,200})`,
    'gi',
  ),
  secretGroup: 7,
  keywords: [
    'secret', 'token', 'passw', 'pwd', 'api_key', 'api-key', 'api.key', 'apikey', 'access_key', 'access-key', 'accesskey',
    'auth_key', 'auth-key', 'authkey', 'private_key', 'private-key', 'privatekey', 'signing_key', 'signing-key', 'signingkey',
    'encryption_key', 'encryption-key', 'encryptionkey', 'master_key', 'master-key', 'masterkey', 'credential',
  ],
  validate: assignmentIsSecret,
  skipPaths: /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Cargo\.lock|poetry\.lock|Pipfile\.lock|composer\.lock|Gemfile\.lock|go\.sum|packages\.lock\.json|\.gitleaksignore|\.secrets\.baseline)$|\.(?:min\.js|min\.css|map|svg|lock)$/,
  maxLineLength: 500,
  examples: { positive: [], negative: [] },
  sample: genericSample,
});
{
  const r = createRng(seedOf(generic.id));
  generic.examples.positive = [genericSample(r), genericSample(r), genericSample(r)];
  generic.examples.negative = [
    'password = os.environ["DB_PASSWORD"]',
    'const token = process.env.GITHUB_TOKEN;',
    'public_key: "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE7x2Lm"',
    'token_url = "https://auth.example.com/oauth/token"',
    'secret_hash: "3f786850e387550fdab836ed7e6dc881de23001b"',
    'password: "hunter2"',
    'api_key = getApiKey(config)',
    'max_tokens: 4096',
    'TOKEN_TYPE=BearerTokenV2',
  ];
}

const bearer = customRule({
  id: 'http-bearer-token',
  description: 'Bearer token in an Authorization header',
  severity: 'medium',
  tier: 'contextual',
  regex: /\bbearer\s{1,3}([A-Za-z0-9_.~+/-]{20,500}={0,2})(?![A-Za-z0-9_.~+/=-])/gi,
  keywords: ['bearer'],
  entropy: 3.5,
  validate: (v) => /[0-9]/.test(v) && /[A-Za-z]/.test(v) && !/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(v),
  examples: { positive: [], negative: ['Authorization: Bearer $TOKEN', 'Authorization: Bearer {{ access_token }}', 'uses bearer authentication'] },
  sample: (rng) => `curl -H "Authorization: Bearer ${rng.chars(CHARS, 8)}${rng.int(0, 9)}${rng.chars(CHARS, 31)}" https://api.acme-corp.io/v1/items`,
});
bearer.examples.positive = [bearer.sample(createRng(seedOf(bearer.id)))];

/** The catch-all rules: they warn (below the default failOn) unless `scan.genericBlocks` is set. */
export const genericRules: SecretRule[] = [bearer, generic];
