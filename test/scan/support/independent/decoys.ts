import { B64STD, HEXL, Prng, UPPER, DIGITS } from './prng.js';
import { B64, jwtWithClaims, uuid } from './formats.js';

/**
 * Lines real repositories are full of that look like credentials and are not: placeholders, documented example
 * keys, public values, hashes, identifiers and references to where a secret lives. Prefix literals are split so
 * this file never holds a credential-shaped string itself.
 */
export function decoyLines(r: Prng): string[] {
  const hex = (n: number) => r.str(HEXL, n);
  const b64 = (n: number) => r.str(B64STD, n);
  const alnum = (n: number) => r.str(UPPER + DIGITS + 'abcdefghijklmnopqrstuvwxyz', n);
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const gh = ['gh', 'p_'].join('');
  const sk = ['sk', '_live_'].join('');
  return [
    // Placeholders and documentation.
    `GITHUB_TOKEN=${gh}${'x'.repeat(36)}`,
    `STRIPE_SECRET_KEY=${sk}...`,
    `OPENAI_API_KEY=sk-...`,
    'SLACK_BOT_TOKEN=xoxb-your-bot-token-here',
    'api_key: <YOUR_API_KEY>',
    'DB_PASSWORD=changeme',
    'password: "********"',
    `export AWS_ACCESS_KEY_ID=${['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('')}`,
    `export AWS_SECRET_ACCESS_KEY=${['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCY', 'EXAMPLEKEY'].join('/')}`,
    `token = "${['ghp', 'EXAMPLE'].join('_')}TOKEN0000000000000000000000000000"`,
    'const fakeToken = "fake-token-for-tests";',
    `fake_api_key = "fake_${alnum(8)}"`,
    'mock_secret: "test-secret"',
    // Public by design.
    `STRIPE_PUBLISHABLE_KEY=${['pk', 'live', ''].join('_')}${alnum(24)}`,
    `NEXT_PUBLIC_STRIPE_KEY="${['pk', 'test', ''].join('_')}${alnum(99)}"`,
    `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${b64(43).replace(/[+/]/g, 'Q')} deploy@build-01`,
    `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${b64(300).replace(/[+/]/g, 'r')} ops@bastion`,
    '-----BEGIN PUBLIC KEY-----',
    `MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA${b64(20)}`,
    '-----END PUBLIC KEY-----',
    '-----BEGIN CERTIFICATE-----',
    `MIIDdzCCAl+gAwIBAgIE${b64(44)}`,
    '-----END CERTIFICATE-----',
    `SENTRY_DSN=https://${hex(32)}@o${r.int(100000, 999999)}.ingest.sentry.io/${r.int(1000000, 9999999)}`,
    `firebase_app_id: "1:${r.int(100000000, 999999999)}:web:${hex(22)}"`,
    // Hashes, SHAs, integrity values, ids.
    `commit: ${hex(40)}`,
    `GIT_SHA=${hex(40)}`,
    `sha256: ${hex(64)}`,
    `"checksum": "sha512:${hex(128)}"`,
    `"integrity": "sha512-${b64(86)}==",`,
    `<script src="/vendor.js" integrity="sha384-${b64(64)}" crossorigin="anonymous"></script>`,
    `image: ghcr.io/acme/api@sha256:${hex(64)}`,
    `request_id: ${uuid(r)}`,
    `"clientId": "${uuid(r)}",`,
    `tenant_id = "${uuid(r)}"`,
    `background-image: url("data:image/png;base64,${b64(240)}");`,
    `<img src="data:image/jpeg;base64,${b64(180)}" alt="logo">`,
    // JWT-shaped strings without real claims (unsigned, no claims, the jwt.io sample).
    `${enc({ alg: 'none' })}.${enc({ foo: 'bar' })}.`,
    `const sample = "${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ sub: '1234567890', name: 'John Doe', iat: 1516239022 })}.${r.str(B64STD, 43).replace(/[+/]/g, '_')}";`,
    `"nonce": "${enc({ kid: hex(8) })}.${enc({ v: 1 })}.${r.str(HEXL, 20)}"`,
    // References to secrets, never the secret.
    'token: ${{ secrets.DEPLOY_TOKEN }}',
    'NPM_TOKEN=${NPM_TOKEN}',
    'password: ${DB_PASSWORD:?set DB_PASSWORD}',
    'const apiKey = process.env.OPENAI_API_KEY;',
    'api_key = os.environ["SENDGRID_API_KEY"]',
    'token := os.Getenv("GITHUB_TOKEN")',
    'String secret = System.getenv("STRIPE_SECRET_KEY");',
    '          secretKeyRef:',
    '            name: db-credentials',
    '            key: password',
    'vault_path = "secret/data/prod/payments/stripe"',
    '  password = data.vault_generic_secret.db.data["password"]',
    '  api_key = var.datadog_api_key',
    `role_arn = "arn:aws:iam::${r.digits(12)}:role/deploy"`,
    `aws_account_id: "${r.digits(12)}"`,
    `kms_key_arn: arn:aws:kms:eu-west-1:${r.digits(12)}:key/${uuid(r)}`,
    'secret_name: prod/api/credentials',
    'token_url: https://oauth2.googleapis.com/token',
    'max_tokens: 4096',
    'password_min_length: 12',
    'if (password.length < MIN_PASSWORD_LENGTH) throw new Error("too short");',
    'hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(12))',
    `password_hash: "$2b$12$${r.str(B64STD, 53).replace(/[+]/g, '.')}"`,
    `cache_key: v1-deps-${hex(40)}`,
    `const id = "${alnum(16)}";`,
    `version: ${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 40)}`,
    `color: "#${hex(6)}"`,
    // A real-looking JWT only inside a test named fake is still a JWT; these decoys are not.
    `jwt_header: "${enc({ alg: 'RS256', kid: hex(16) })}"`,
    `docker_auth: "${B64('nocolon')}"`,
    `postgres://postgres:postgres@localhost:5432/dev`,
    `redis://localhost:6379/0`,
    `https://${r.pick(['user', 'admin'])}:password@example.com/`,
    `git+https://github.com/acme/lib.git#${hex(40)}`,
  ];
}

/** A minified bundle: long lines of short random identifiers and base64 chunks, no credentials. */
export function minifiedBundle(r: Prng): string {
  const ident = () =>
    r.pick(['e', 't', 'n', 'r', 'o', 'i', 'a', 's']) +
    r.str('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$', r.int(0, 2));
  const parts: string[] = ['!function(){"use strict";'];
  for (let i = 0; i < 400; i++) {
    const pick = r.int(0, 5);
    if (pick === 0)
      parts.push(
        `var ${ident()}="${r.str('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', r.int(16, 40))}";`,
      );
    else if (pick === 1)
      parts.push(`function ${ident()}(${ident()},${ident()}){return ${ident()}.${ident()}(${ident()})}`);
    else if (pick === 2) parts.push(`${ident()}.exports={id:"${r.str(HEXL, 8)}",hash:"${r.str(HEXL, 20)}"};`);
    else if (pick === 3) parts.push(`var ${ident()}="data:font/woff2;base64,${r.str(B64STD, 200)}";`);
    else if (pick === 4) parts.push(`${ident()}={key:"${r.str(HEXL, 32)}",token:${ident()}.token,secret:void 0};`);
    else parts.push(`${ident()}.chunk_${r.str(HEXL, 8)}=${ident()};`);
  }
  parts.push('}();');
  return parts.join('');
}

/** A test fixture that says it is fake: a JWT with real-looking claims kept on purpose is a labeled positive elsewhere. */
export function fakeFixtures(r: Prng): string[] {
  return [
    `  const FAKE_TOKEN = 'fake-${r.str(HEXL, 12)}';`,
    `  const token = 'test-token';`,
    `  expect(redact('${jwtWithClaims(r).slice(0, 12)}')).toBe('****');`,
  ];
}
