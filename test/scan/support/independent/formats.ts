import { ALNUM, B64STD, B64URLSAFE, DIGITS, HEXL, LETTERS, Prng, UPPER } from './prng.js';

/**
 * Credentials minted from each provider's published format (prefix, length, alphabet, checksum), written from the
 * providers' documentation and never from the scanner's rules. `family` is the provider: a finding counts when its
 * rule belongs to that family (see families.ts). `names` are variable names real code gives the value.
 */
export interface Token {
  family: string;
  kind: string;
  value: string;
  names: string[];
}

/** CRC32 (IEEE 802.3, reflected 0xEDB88320), computed bit by bit: slow and obviously independent of any table. */
export function crc32Bitwise(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** GitHub and npm encode the checksum in base62 with digits first, left-padded with "0" to six characters. */
export function base62Pad6(n: number): string {
  const alphabet = DIGITS + UPPER + 'abcdefghijklmnopqrstuvwxyz';
  let out = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = alphabet[v % 62] + out;
  return ('000000' + out).slice(-6);
}

const withCrc = (random30: string): string => random30 + base62Pad6(crc32Bitwise(random30));

const uuid = (r: Prng): string =>
  `${r.str(HEXL, 8)}-${r.str(HEXL, 4)}-4${r.str(HEXL, 3)}-${r.pick(['8', '9', 'a', 'b'])}${r.str(HEXL, 3)}-${r.str(HEXL, 12)}`;

type Minter = (r: Prng) => Token;
const t = (family: string, kind: string, value: string, names: string[]): Token => ({ family, kind, value, names });

/** One minter per published single-value format. */
export const MINTERS: Minter[] = [
  (r) => t('github', 'ghp', 'ghp_' + withCrc(r.str(ALNUM, 30)), ['GITHUB_TOKEN', 'GH_TOKEN', 'gh_pat', 'token']),
  (r) => t('github', 'gho', 'gho_' + withCrc(r.str(ALNUM, 30)), ['GITHUB_OAUTH_TOKEN', 'oauthToken']),
  (r) => t('github', 'ghu', 'ghu_' + withCrc(r.str(ALNUM, 30)), ['USER_TOKEN', 'access_token']),
  (r) => t('github', 'ghs', 'ghs_' + withCrc(r.str(ALNUM, 30)), ['INSTALLATION_TOKEN', 'GITHUB_APP_TOKEN']),
  (r) => t('github', 'ghr', 'ghr_' + withCrc(r.str(ALNUM, 30)), ['REFRESH_TOKEN', 'refreshToken']),
  // Fine-grained: github_pat_ + 22 base62 (ID part, starts "11") + "_" + 59 base62.
  (r) =>
    t('github', 'github_pat', `github_pat_11${r.str(UPPER + DIGITS, 20)}_${r.str(ALNUM, 59)}`, [
      'GITHUB_PAT',
      'GH_FINE_GRAINED',
    ]),
  (r) => t('npm', 'npm', 'npm_' + withCrc(r.str(ALNUM, 30)), ['NPM_TOKEN', 'NODE_AUTH_TOKEN']),
  (r) =>
    t('slack', 'xoxb', `xoxb-${r.digits(r.int(10, 13))}-${r.digits(r.int(10, 13))}-${r.str(ALNUM, 24)}`, [
      'SLACK_BOT_TOKEN',
      'slack_token',
    ]),
  (r) =>
    t(
      'slack',
      'xoxp',
      `xoxp-${r.digits(r.int(10, 13))}-${r.digits(r.int(10, 13))}-${r.digits(r.int(10, 13))}-${r.str(HEXL, 32)}`,
      ['SLACK_USER_TOKEN'],
    ),
  (r) =>
    t('slack', 'xapp', `xapp-1-A${r.str(UPPER + DIGITS, 10)}-${r.digits(13)}-${r.str(HEXL, 64)}`, [
      'SLACK_APP_TOKEN',
      'appToken',
    ]),
  (r) =>
    t(
      'slack',
      'slack-webhook',
      `https://hooks.slack.com/services/T${r.str(UPPER + DIGITS, 8)}/B${r.str(UPPER + DIGITS, r.int(8, 10))}/${r.str(ALNUM, 24)}`,
      ['SLACK_WEBHOOK_URL', 'webhook'],
    ),
  // Stripe: 24 characters in older accounts, 99 after "51" in newer ones.
  (r) =>
    t('stripe', 'sk_live', 'sk_live_' + (r.chance(0.5) ? r.str(ALNUM, 24) : '51' + r.str(ALNUM, 97)), [
      'STRIPE_SECRET_KEY',
      'stripe_key',
    ]),
  (r) =>
    t('stripe', 'rk_live', 'rk_live_' + (r.chance(0.5) ? r.str(ALNUM, 24) : '51' + r.str(ALNUM, 97)), [
      'STRIPE_RESTRICTED_KEY',
    ]),
  (r) =>
    t('aws', 'akid', r.pick(['AKIA', 'ASIA']) + r.str('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16), [
      'AWS_ACCESS_KEY_ID',
      'aws_access_key_id',
    ]),
  (r) =>
    t(
      'azure',
      'storage-conn',
      `DefaultEndpointsProtocol=https;AccountName=${r.str('abcdefghijklmnopqrstuvwxyz0123456789', r.int(3, 24))};AccountKey=${r.str(B64STD, 86)}==;EndpointSuffix=core.windows.net`,
      ['AZURE_STORAGE_CONNECTION_STRING', 'StorageConnection'],
    ),
  // OpenAI project keys: sk-proj- + base64url, with the base64 of "OpenAI" (T3BlbkFJ) in the middle.
  (r) =>
    t('openai', 'sk-proj', `sk-proj-${r.str(B64URLSAFE, 74)}T3BlbkFJ${r.str(B64URLSAFE, 74)}`, [
      'OPENAI_API_KEY',
      'openai.api_key',
    ]),
  (r) => t('openai', 'sk-legacy', `sk-${r.str(ALNUM, 20)}T3BlbkFJ${r.str(ALNUM, 20)}`, ['OPENAI_KEY']),
  (r) =>
    t(
      'openai',
      'sk-svcacct',
      `sk-${r.pick(['svcacct', 'admin'])}-${r.str(B64URLSAFE, 74)}T3BlbkFJ${r.str(B64URLSAFE, 74)}`,
      ['OPENAI_ADMIN_KEY', 'openaiKey'],
    ),
  (r) => t('anthropic', 'sk-ant-admin', `sk-ant-admin01-${r.str(B64URLSAFE, 93)}AA`, ['ANTHROPIC_ADMIN_KEY']),
  (r) => t('anthropic', 'sk-ant', `sk-ant-api03-${r.str(B64URLSAFE, 93)}AA`, ['ANTHROPIC_API_KEY', 'anthropicKey']),
  (r) => t('huggingface', 'hf', 'hf_' + r.str(LETTERS, 34), ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN']),
  (r) => t('sendgrid', 'sg', `SG.${r.str(B64URLSAFE, 22)}.${r.str(B64URLSAFE, 43)}`, ['SENDGRID_API_KEY', 'sgKey']),
  (r) => t('twilio', 'sk-sid', 'SK' + r.str(HEXL, 32), ['TWILIO_API_KEY', 'twilio_api_key_sid']),
  (r) =>
    t('telegram', 'bot', `${r.digits(r.int(8, 10))}:AA${r.str(B64URLSAFE, 33)}`, ['TELEGRAM_BOT_TOKEN', 'BOT_TOKEN']),
  (r) =>
    t(
      'discord',
      'webhook',
      `https://${r.pick(['discord.com', 'discordapp.com'])}/api/webhooks/${r.digits(r.int(17, 19))}/${r.str(B64URLSAFE, 68)}`,
      ['DISCORD_WEBHOOK_URL'],
    ),
  (r) => t('shopify', 'shpat', 'shpat_' + r.str(HEXL, 32), ['SHOPIFY_ACCESS_TOKEN', 'SHOPIFY_ADMIN_TOKEN']),
  (r) => t('shopify', 'shpss', 'shpss_' + r.str(HEXL, 32), ['SHOPIFY_API_SECRET', 'SHOPIFY_SHARED_SECRET']),
  (r) => t('gitlab', 'glpat', 'glpat-' + r.str(B64URLSAFE, 20), ['GITLAB_TOKEN', 'CI_PUSH_TOKEN']),
  (r) =>
    t('databricks', 'dapi', 'dapi' + r.str(HEXL, 32) + (r.chance(0.3) ? `-${r.int(2, 3)}` : ''), ['DATABRICKS_TOKEN']),
  (r) => t('postman', 'pmak', `PMAK-${r.str(HEXL, 24)}-${r.str(HEXL, 34)}`, ['POSTMAN_API_KEY']),
  (r) => t('linear', 'lin_api', 'lin_api_' + r.str(ALNUM, 40), ['LINEAR_API_KEY']),
  (r) => t('doppler', 'dp.pt', 'dp.pt.' + r.str(ALNUM, 43), ['DOPPLER_TOKEN']),
  // Service tokens carry the config name: dp.st.<config>.<40 characters>.
  (r) =>
    t('doppler', 'dp.st', `dp.st.${r.pick(['dev', 'prd', 'stg', 'ci_main'])}.${r.str(ALNUM, 40)}`, [
      'DOPPLER_SERVICE_TOKEN',
    ]),
  (r) => t('vault', 'hvs', 'hvs.' + r.str(B64URLSAFE, r.int(91, 95)), ['VAULT_TOKEN']),
  (r) =>
    t('age', 'age', 'AGE-SECRET-KEY-1' + r.str('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58), ['SOPS_AGE_KEY', 'AGE_KEY']),
  (r) =>
    t('pypi', 'pypi', 'pypi-AgEIcHlwaS5vcmc' + r.str(B64URLSAFE, r.int(150, 200)), ['PYPI_TOKEN', 'TWINE_PASSWORD']),
  (r) => t('jwt', 'jwt', jwtWithClaims(r), ['SUPABASE_SERVICE_ROLE_KEY', 'id_token', 'SESSION_JWT']),
  (r) => t('url', 'db-url', dbUrl(r), ['DATABASE_URL', 'MONGO_URI', 'REDIS_URL']),
];

/** A signed JWT with claims a real issuer puts in (Supabase service role, an OIDC ID token). */
export function jwtWithClaims(r: Prng): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = 1_690_000_000 + r.int(0, 50_000_000);
  const claims = r.chance(0.5)
    ? {
        iss: 'supabase',
        ref: r.str('abcdefghijklmnopqrstuvwxyz', 20),
        role: 'service_role',
        iat: now,
        exp: now + 315_360_000,
      }
    : {
        iss: `https://login.${r.pick(['acme', 'globex', 'initech'])}.com/`,
        sub: uuid(r),
        aud: r.str(HEXL, 24),
        email: `ops${r.int(1, 99)}@corp.example`,
        iat: now,
        exp: now + 3600,
      };
  const alg = r.pick(['HS256', 'RS256', 'ES256']);
  return `${enc({ alg, typ: 'JWT' })}.${enc(claims)}.${r.str(B64URLSAFE, alg === 'HS256' ? 43 : 86)}`;
}

/** A password as people pick them for service accounts, percent-encoded where URLs need it. */
export function password(r: Prng): string {
  const raw =
    r.str(ALNUM, r.int(10, 20)) + r.pick(['', '!', '#', '%40', '%23', '-', '_', '~']) + r.str(ALNUM, r.int(2, 6));
  return raw;
}

export function dbUrl(r: Prng): string {
  const scheme = r.pick(['postgresql', 'postgres', 'mysql', 'mongodb+srv', 'rediss', 'amqps']);
  const host = r.pick([
    'db.prod.internal',
    'pg-main.c9akciq32.eu-west-1.rds.amazonaws.com:5432',
    'cluster0.x1y2z.mongodb.net',
    'cache.prod.internal:6380',
    'mq.corp.internal:5671',
  ]);
  return `${scheme}://${r.pick(['app', 'svc_orders', 'reporting', 'admin'])}:${password(r)}@${host}/${r.pick(['app', 'orders', 'prod', ''])}`;
}

export const B64 = (s: string): string => Buffer.from(s).toString('base64');

/** PEM armour around `lines` of base64 (width 64, or 70 for OpenSSH as ssh-keygen writes it). */
export function pemBlock(r: Prng, label: string, eol = '\n'): string {
  const width = label === 'OPENSSH PRIVATE KEY' ? 70 : 64;
  const lead =
    label === 'OPENSSH PRIVATE KEY'
      ? 'b3BlbnNzaC1rZXktdjEAAAAA'
      : label === 'EC PRIVATE KEY'
        ? 'MHcCAQEEI'
        : 'MIIE' + r.pick(['v', 'p', 'o']) + 'QIBA';
  const total = label === 'EC PRIVATE KEY' ? 160 : r.int(1200, 1700);
  const body = lead + r.str(B64STD, total - lead.length);
  const lines: string[] = [];
  for (let i = 0; i < body.length; i += width) lines.push(body.slice(i, i + width));
  lines[lines.length - 1] = lines[lines.length - 1]!.replace(/.{1,2}$/, (m) => '='.repeat(m.length));
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`].join(eol);
}

export { uuid };
