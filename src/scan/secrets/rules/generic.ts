import { createRng, type Rng } from '../random.js';
import { ASSIGNMENT_STYLES, customRule, examplesLater, type SecretRule, seedOf } from '../rule.js';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  if (UUID.test(value)) return false;
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
  // A quoted name, then a quoted value, as two arguments: define('DB_PASSWORD', '…'), getenv("API_TOKEN", "…").
  if (sep === ',' && !(/["']/.test(closeQuote ?? '') && quote)) return false;
  if (quote) {
    const end = match.index + match[0].length;
    // A carriage return pasted inside the quotes (`"…=\r"` in a shell history) still closes on the quote.
    const after = text[end] === '\r' ? text[end + 1] : text[end];
    if (after !== quote) return false;
  } else if (CODE_FILE.test(path)) return false; // unquoted in code: a variable or expression
  const bare = fullName.replace(/^[^A-Za-z]+/, '');
  if (PUBLIC_BY_DESIGN.some((p) => p.name.test(bare) && p.context.test(text))) return false;
  // A UUID is an id under most names, but the key itself under a quoted API key, token or secret name.
  if (quote && UUID.test(value) && /(?:api[_.-]?key|token|secret)$/i.test(bare)) return true;
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
    `(${NAME_KEYWORDS})([A-Za-z0-9_.-]{0,24})(["'\\]]?)[ \\t]{0,4}(:=|=>|=|:|,)([ \\t]{0,4})(["'\`]?)([^\\s"'\`;,<>&]{10,200})`,
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
examplesLater(generic, () => {
  const r = createRng(seedOf(generic.id));
  generic.examples.positive = [
    genericSample(r),
    genericSample(r),
    genericSample(r),
    `define( 'DB_PASSWORD', '${r.chars(CHARS, 14)}4Q' );`,
  ];
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
    'label = t("password", "Passwort")',
    'headers.set("Authorization", token)',
  ];
});

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
examplesLater(bearer, () => {
  bearer.examples.positive = [bearer.sample(createRng(seedOf(bearer.id)))];
});

const GENERIC_NAME = new RegExp(NAME_KEYWORDS, 'i');
const KEY_SIZES = new Set([16, 24, 32, 48, 64]);

/**
 * Raw key bytes, base64-encoded, in a variable named for a key (`newKey`, `aesKey`, `KEY`): the shape of a
 * hard-coded AES or HMAC key. The name alone says little (`cacheKey`, `sortKey`), so the value must decode to
 * exactly a key size of bytes that are not text.
 */
function isEncodedKeyBytes(value: string, match: RegExpExecArray): boolean {
  const text = match.input;
  let start = match.index;
  while (start > 0 && start > match.index - 40 && /[A-Za-z0-9_$]/.test(text[start - 1]!)) start--;
  const name = text.slice(start, match.index) + match[1]!;
  // Names the generic rule reads (secret_key, api_key) are its to report; public keys and ids are not secrets.
  if (GENERIC_NAME.test(name) || NOT_A_SECRET_NAME.test(name)) return false;
  if (/[/@?&:%#.-]/.test(text[start - 1] ?? '')) return false;
  if (value.length % 4 !== 0) return false;
  const bytes = Buffer.from(value, 'base64');
  if (!KEY_SIZES.has(bytes.length)) return false;
  let binary = 0;
  for (const b of bytes) if (b < 0x20 || b > 0x7e) binary++;
  // Random bytes are about 63% outside printable ASCII; an encoded word or counting bytes (00 01 02 …) are not random.
  if (binary < bytes.length / 4) return false;
  let steps = 0;
  for (let i = 1; i < bytes.length; i++) if (bytes[i]! - bytes[i - 1]! === bytes[1]! - bytes[0]!) steps++;
  return steps < bytes.length / 2 && shannonEntropy(value) >= 4;
}

const keyBytesSample = (rng: Rng): string => {
  const bytes = Buffer.from(rng.chars(CHARS, 32)).map((b, i) => (b * 7 + i * 31) & 0xff);
  return rng.pick([
    (v: string) => `public static final String newKey = "${v}";`,
    (v: string) => `const aesKey = '${v}';`,
    (v: string) => `KEY = "${v}"`,
  ])(Buffer.from(bytes).toString('base64'));
};

const keyBytes = customRule({
  id: 'encoded-key-bytes',
  description: 'Base64 key bytes (16-64 random bytes) assigned to a key name',
  severity: 'medium',
  tier: 'generic',
  regex: /(key)["']?[ \t]{0,4}(?::=|=|:)[ \t]{0,4}["'`]([A-Za-z0-9+/]{22,88}={0,2})["'`]/gi,
  secretGroup: 2,
  keywords: ['key'],
  validate: isEncodedKeyBytes,
  skipPaths: generic.skipPaths!,
  maxLineLength: 500,
  examples: { positive: [], negative: [] },
  sample: keyBytesSample,
  rotate: 'Generate a new key, re-encrypt or re-sign what the old one protected, and load the key from a secrets manager.',
});
examplesLater(keyBytes, () => {
  const r = createRng(seedOf(keyBytes.id));
  keyBytes.examples.positive = [keyBytesSample(r), keyBytesSample(r), keyBytesSample(r)];
  const text = Buffer.from('an ordinary sentence of 32 bytes').toString('base64');
  const counting = Buffer.from(Array.from({ length: 16 }, (_, i) => i)).toString('base64');
  const random = Buffer.from(Buffer.from(r.chars(CHARS, 32)).map((b, i) => (b * 7 + i * 31) & 0xff)).toString('base64');
  keyBytes.examples.negative = [
    `cacheKey = "${text}"`,
    `const hmacKey = "${counting}";`,
    `publicKey = "${random}"`,
    `const keyId = "${random}";`,
    `const aesKey = "${random.slice(0, 40)}";`,
  ];
});

/** The catch-all rules: they warn (below the default failOn) unless `scan.genericBlocks` is set. */
export const genericRules: SecretRule[] = [bearer, generic, keyBytes];
