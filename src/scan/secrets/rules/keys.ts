import { createRng, type Rng } from '../random.js';
import { customRule, examplesLater, seedOf, type SecretRule } from '../rule.js';

const B64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A PEM body: 64-character base64 lines. `escaped` writes the newlines as `\n` inside a JSON string. */
function pem(label: string, rng: Rng, escaped = false, lines = 12): string {
  const nl = escaped ? '\\n' : '\n';
  const body: string[] = [];
  for (let i = 0; i < lines; i++) body.push(rng.chars(B64_CHARS, 64));
  body.push(rng.chars(B64_CHARS, 20) + '==');
  return `-----BEGIN ${label}-----${nl}${body.join(nl)}${nl}-----END ${label}-----`;
}

/** A real key body is long base64; a doc snippet has "...", a short stub or words. */
function keyBodyLooksReal(block: string): boolean {
  const body = block
    .replace(/-----(?:BEGIN|END)[^-]{0,60}-----/g, '')
    .replace(/^[A-Za-z-]{2,30}: .*$/gm, '') // PEM headers such as Proc-Type, DEK-Info, Comment
    .replace(/\\[nr]|\s/g, '');
  if (body.length < 64) return false;
  if (/\.\.\.|…|x{6,}|<|>|\$\{|\{\{/i.test(body)) return false;
  return /^[A-Za-z0-9+/=:,-]+$/.test(body);
}

/**
 * Private key blocks, also inside JSON strings (`\n` escapes) and YAML block scalars. The body is bounded
 * (16 KiB), so a BEGIN line with no END line costs one bounded pass, never a backtracking blow-up.
 */
function keyRule(id: string, description: string, labels: string[], sampleLabel: string): SecretRule {
  const label = `(?:${labels.join('|')})`;
  const regex = new RegExp(
    `-----BEGIN ${label}-----((?:\\\\[nr]|[A-Za-z0-9+/=\\s:,.()\\\\-]){64,16384}?)-----END ${label}-----`,
    'g',
  );
  const sample = (rng: Rng) => pem(sampleLabel, rng, rng.next() < 0.3);
  const rule = customRule({
    id,
    description,
    severity: 'critical',
    tier: 'specific',
    regex,
    secretGroup: 0,
    keywords: ['-----begin'],
    validate: keyBodyLooksReal,
    ownPlaceholderCheck: true,
    examples: { positive: [], negative: [] },
    sample,
    rotate: 'Generate a new key pair, replace the public key wherever it is trusted, and revoke the old one.',
  });
  examplesLater(rule, () => {
    const r = createRng(seedOf(id));
    rule.examples.positive = [sample(r), JSON.stringify({ private_key: pem(sampleLabel, r, false) }).slice(1, -1)];
    rule.examples.negative = [
      `-----BEGIN ${sampleLabel}-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\n-----END ${sampleLabel}-----`,
      pem('PUBLIC KEY', r),
    ];
  });
  return rule;
}

function b64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** A JWT counts when its header names a signing algorithm and its payload carries real claims. */
function jwtHasRealClaims(token: string): boolean {
  const [h, p] = token.split('.');
  try {
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof header !== 'object' || typeof header.alg !== 'string' || header.alg.toLowerCase() === 'none') return false;
    if (!payload || typeof payload !== 'object') return false;
    const claims = ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'role', 'scope', 'email', 'user_id', 'uid'];
    if (!claims.some((c) => c in payload)) return false;
    // The jwt.io sample and similar documentation tokens.
    if (payload.sub === '1234567890' || payload.name === 'John Doe') return false;
    return true;
  } catch {
    return false;
  }
}

function jwtSample(rng: Rng): string {
  const header = b64url(JSON.stringify({ alg: rng.pick(['HS256', 'RS256', 'ES256']), typ: 'JWT' }));
  const payload = b64url(
    JSON.stringify({
      iss: rng.pick(['https://auth.acme-corp.io', 'supabase', 'api.internal']),
      sub: `user_${rng.chars('0123456789abcdef', 12)}`,
      role: rng.pick(['service_role', 'admin', 'deployer']),
      iat: 1700000000 + rng.int(0, 9999999),
      exp: 1900000000 + rng.int(0, 9999999),
    }),
  );
  const sig = rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', 43);
  return `${header}.${payload}.${sig}`;
}

const jwt = customRule({
  id: 'jwt',
  description: 'JSON Web Token with real claims',
  severity: 'high',
  tier: 'specific',
  // The payload is `{"` and any claim name: `eyJ` only when the name starts with a letter from `a` on (1Password
  // Connect's first claim is `1password.com/auuid`, base64 `eyIx…`).
  regex: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,2000}\.ey[IJKL][A-Za-z0-9_-]{10,8000}\.[A-Za-z0-9_-]{16,2000})(?![A-Za-z0-9_-])/g,
  keywords: ['eyj'],
  validate: jwtHasRealClaims,
  examples: { positive: [], negative: [] },
  sample: jwtSample,
  rotate: 'Revoke the session or rotate the signing key that issued it; tokens with long expiry stay valid until then.',
});
examplesLater(jwt, () => {
  const r = createRng(seedOf('jwt'));
  jwt.examples.positive = [jwtSample(r), `Authorization: Bearer ${jwtSample(r)}`];
  const jwtIo = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"1234567890","name":"John Doe","iat":1516239022}')}.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c`;
  const unsigned = `${b64url('{"alg":"none"}')}.${b64url('{"sub":"abc","exp":1900000000}')}.${'A'.repeat(2)}${r.chars('abcdef0123456789', 20)}`;
  jwt.examples.negative = [jwtIo, unsigned];
});

const puttySample = (rng: Rng): string =>
  [
    'PuTTY-User-Key-File-3: ssh-ed25519',
    'Encryption: none',
    'Comment: deploy@build',
    'Public-Lines: 2',
    rng.chars(B64_CHARS, 64),
    rng.chars(B64_CHARS, 20),
    'Private-Lines: 1',
    rng.chars(B64_CHARS, 44),
    `Private-MAC: ${rng.chars('0123456789abcdef', 64)}`,
  ].join('\n');

const putty = customRule({
  id: 'putty-private-key',
  description: 'PuTTY private key file',
  severity: 'critical',
  tier: 'specific',
  regex: /PuTTY-User-Key-File-[23]: [a-z0-9-]{3,40}\r?\n[\s\S]{0,4000}?Private-Lines: \d{1,3}\r?\n([A-Za-z0-9+/=\r\n]{40,8000}?)\r?\nPrivate-MAC: [0-9a-f]{40,64}/g,
  secretGroup: 0,
  keywords: ['putty-user-key-file'],
  ownPlaceholderCheck: true,
  examples: { positive: [], negative: ['PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPrivate-Lines: 1\n...\nPrivate-MAC: ...'] },
  sample: puttySample,
});
examplesLater(putty, () => {
  putty.examples.positive = [puttySample(createRng(seedOf(putty.id)))];
});

/** Private keys (PEM, OpenSSH, PGP, PKCS#8, PuTTY) and signed tokens. */
export const keyRules: SecretRule[] = [
  keyRule('private-key-rsa', 'RSA private key', ['RSA PRIVATE KEY'], 'RSA PRIVATE KEY'),
  keyRule('private-key-ec', 'EC private key', ['EC PRIVATE KEY'], 'EC PRIVATE KEY'),
  keyRule('private-key-dsa', 'DSA private key', ['DSA PRIVATE KEY'], 'DSA PRIVATE KEY'),
  keyRule('private-key-openssh', 'OpenSSH private key', ['OPENSSH PRIVATE KEY'], 'OPENSSH PRIVATE KEY'),
  keyRule('private-key-pkcs8', 'PKCS#8 private key', ['PRIVATE KEY'], 'PRIVATE KEY'),
  keyRule('private-key-encrypted', 'Encrypted PKCS#8 private key (passphrase-protected, still sensitive)', ['ENCRYPTED PRIVATE KEY'], 'ENCRYPTED PRIVATE KEY'),
  keyRule('private-key-pgp', 'PGP private key block', ['PGP PRIVATE KEY BLOCK'], 'PGP PRIVATE KEY BLOCK'),
  putty,
  jwt,
];
