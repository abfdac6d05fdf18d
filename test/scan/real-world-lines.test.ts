import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { SecretEngine } from '../../src/scan/secrets/engine.js';
import { createRng } from '../../src/scan/secrets/random.js';

/**
 * Each precision or recall fix of issue 13 with the line from a public repository that motivated it. False alarms
 * are quoted verbatim (they hold no credential); credentials are minted at run time in the shape that was missed.
 */
const engine = new SecretEngine(defaultConfig().scan);
const rules = (path: string, text: string) =>
  engine.detect({ path, text, commit: null }).map((f) => `${f.line}:${f.rule}`);

const FALSE_ALARMS: { from: string; path: string; text: string }[] = [
  // A Docker image tag is `name:tag`, not `name: value` (OWASP/wrongsecrets Dockerfile.web, every k8s manifest).
  { from: 'OWASP/wrongsecrets', path: 'Dockerfile.web', text: 'FROM jeroenwillemsen/wrongsecrets:1.0.4-no-vault' },
  {
    from: 'OWASP/wrongsecrets',
    path: 'k8s/secret-challenge-vault-deployment.yml',
    text: '        - image: jeroenwillemsen/wrongsecrets:1.1.0-k8s-vault',
  },
  // A Maven coordinate in a licence list.
  {
    from: 'OWASP/wrongsecrets',
    path: 'src/main/resources/templates/about.html',
    text: '(Apache License, Version 2.0) KeePassJava2 :: All (org.linguafranca.pwdb:KeePassJava2:2.1.4 - https://github.com/jorabin/KeePassJava2/KeePassJava2)',
  },
  // filename:rule:line entries of an ignore list, under its own name and under any other.
  {
    from: 'gitleaks/gitleaks',
    path: '.gitleaksignore',
    text: '6adc045580c3911a7a936be7b977979a5519aa29:testdata/repos/basic/secrets.py:generic-api-key:5',
  },
  {
    from: 'gitleaks/gitleaks',
    path: 'ignored.txt',
    text: '6adc045580c3911a7a936be7b977979a5519aa29:testdata/repos/basic/secrets.py:generic-api-key:5',
  },
  // A Makefile target: its "value" is the recipe on the next line (kubernetes/examples https-nginx/Makefile).
  {
    from: 'kubernetes/examples',
    path: 'https-nginx/Makefile',
    text: "secret:\n\tCGO_ENABLED=0 GOOS=linux go run -a -installsuffix cgo -ldflags '-w' make_secret.go -crt $(CERT) -key $(KEY) > $(SECRET)",
  },
  // An Algolia DocSearch key: search-only, public by design (psf/requests docs/_templates/sidebarintro.html).
  {
    from: 'psf/requests',
    path: 'docs/_templates/sidebarintro.html',
    text: `<script type="text/javascript" src="https://cdn.jsdelivr.net/npm/docsearch.js@2/dist/cdn/docsearch.min.js" onload="docsearch({\n  apiKey: 'f177061e2354c50a97bfc635e827ffab',\n  indexName: 'python-requests',\n  inputSelector: '#doc_search',`,
  },
  // The OAuth RFCs' example values, in a vendored library's docstrings (psf/requests, oauthlib).
  {
    from: 'psf/requests',
    path: 'requests/packages/oauthlib/oauth1/rfc5849/parameters.py',
    text: '        oauth_token="ad180jjd733klru7",',
  },
  {
    from: 'psf/requests',
    path: 'requests/packages/oauthlib/oauth2/draft25/parameters.py',
    text: '    Location: http://example.com/cb#access_token=2YotnFZFEjr1zCsicMWpAA',
  },
  {
    from: 'psf/requests',
    path: 'requests/packages/oauthlib/oauth2/draft25/parameters.py',
    text: '        "refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA",',
  },
  // URL credentials that test percent-encoding, format placeholders, a doc comment about example.com.
  {
    from: 'psf/requests',
    path: 'tests/test_utils.py',
    text: "            'http://user:pass%20pass@complex.url.com/path?query=yes',",
  },
  {
    from: 'psf/requests',
    path: 'tests/test_utils.py',
    text: '            f"http://{ENCODED_USER}:{ENCODED_PASSWORD}@request.com/url.html#test",',
  },
  { from: 'expressjs/express', path: 'lib/request.js', text: ' *    // http://tobi:hello@example.com' },
  // A value that is a variable in code, not a literal.
  { from: 'issue 13', path: 'src/auth.js', text: 'const token = tmpTokenJ12934;' },
  // Ethereum addresses and compressed public keys are public data under secret-sounding names.
  { from: 'issue 13', path: 'config.env', text: 'TOKEN_CONTRACT=0xdAC17F958D2ee523a2206206994597C13D831ec7' },
  {
    from: 'issue 13',
    path: 'keys.yml',
    text: 'signing_key: 0x02a1633cafcc01ebfb6d78e39f687a1f0995c62fc95f51ead10a02ee0be551b5dc',
  },
  // A TOTP URI's query text: the name is a URL parameter, the value runs into the next one.
  { from: 'issue 13', path: 'README.md', text: 'otpauth://totp/ACME:alice@acme.test?secret=${totpSecret}&issuer=ACME' },
  // A URL slug and UI text under a secret-sounding key.
  { from: 'issue 13', path: 'docs/links.yml', text: 'api_key: how-to-rotate-your-api-key-2019' },
  { from: 'issue 13', path: 'locales/es.yml', text: 'password: Contraseña-nueva-2' },
  // Template placeholders of other languages: ERB, Jinja, autoconf, Windows, token replacement, .NET format.
  { from: 'issue 13', path: 'config/database.yml', text: 'password: <%= ENV["DB_PASSWORD_2"] %>' },
  { from: 'issue 13', path: 'settings.ini', text: 'secret_key = @SECRET_KEY_VALUE@' },
  { from: 'issue 13', path: 'deploy.bat', text: 'set API_TOKEN=%DEPLOY_TOKEN_2%' },
  { from: 'issue 13', path: 'app.config', text: 'client_secret=__CLIENT_SECRET_2__' },
  { from: 'issue 13', path: 'appsettings.json', text: '"ApiKey": "{0}-{1}-api2",' },
];

describe('real-world false alarms stay quiet', () => {
  for (const c of FALSE_ALARMS) {
    it(`${c.from}: ${c.path}`, () => {
      expect(rules(c.path, c.text)).toEqual([]);
    });
  }
});

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

function cephKey(seed: number): string {
  const rng = createRng(seed);
  const b = Buffer.alloc(28);
  b[0] = 1;
  b.writeUInt32LE(1_450_000_000 + rng.int(0, 1000), 2);
  b[10] = 16;
  for (let i = 12; i < 28; i++) b[i] = rng.int(0, 255);
  return b.toString('base64');
}

const secret = (kind: 'data' | 'stringData', entries: string[]) =>
  [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: ceph-secret',
    `${kind}:`,
    ...entries.map((e) => `  ${e}`),
  ].join('\n');

describe('Kubernetes Secret values are secrets by definition (kubernetes/examples volumes/*)', () => {
  it('a Ceph key under `key:` is reported as one, also double-encoded under stringData with a trailing comment', () => {
    expect(rules('ceph-secret.yaml', secret('data', [`key: ${b64(cephKey(1))}`]))).toEqual(['6:ceph-key']);
    const doubly = `key: ${b64(cephKey(2))}  # the base64-encoded string of the already-base64-encoded key`;
    expect(rules('cephfs/secret/ceph-secret.yaml', secret('stringData', [doubly]))).toEqual(['6:ceph-key']);
  });

  it('an Azure storage account key under azurestorageaccountkey is reported by its shape; the account name is not', () => {
    const key = createRng(3).chars(B64, 86) + '==';
    const text = secret('data', [
      `azurestorageaccountname: ${b64('examplestorage')}`,
      `azurestorageaccountkey: ${b64(key)}`,
    ]);
    expect(rules('azure-secret.yaml', text)).toEqual(['7:azure-storage-account-key']);
  });

  it('a value of no known shape is a kubernetes-secret-value, a user name or address is not', () => {
    const text = secret('data', [
      `username: ${b64('admin')}`,
      `apiAddress: ${b64('tcp://127.0.0.1:5705')}`,
      `apiPassword: ${b64('st0rage-Os9x')}`,
    ]);
    expect(rules('storageos-secret.yaml', text)).toEqual(['8:kubernetes-secret-value']);
  });

  it('a file with no keyword at all is skipped undecoded, but not a Secret manifest (its values are decoded first)', () => {
    // Without the two rules whose keyword is "secret", nothing in this manifest is a keyword: only the manifest
    // check keeps the file from being skipped before it is decoded.
    const config = defaultConfig().scan;
    const engine = new SecretEngine({ ...config, disableRules: ['generic-secret', 'kubernetes-secret-value'] });
    const text = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: ceph-store',
      'data:',
      `  admin: ${b64(cephKey(5))}`,
    ].join('\n');
    const bytes = Buffer.from(text);
    const hits = engine.rulesFor('ceph.yaml', bytes);
    expect(hits).not.toBeNull();
    expect(hits!.every((h) => h === 0)).toBe(true);
    expect(engine.detectBytes('ceph.yaml', bytes).map((f) => `${f.line}:${f.rule}`)).toEqual(['6:ceph-key']);
    expect(engine.rulesFor('ceph.yaml', Buffer.from(text.replace('kind: Secret', 'kind: ConfigMap')))).toBeNull();
    // a rule without keywords confined to its file name (Rails' master.key) needs that file decoded, others not
    expect(engine.rulesFor('config/master.key', Buffer.from('0123456789abcdef0123456789abcdef\n'))).not.toBeNull();
    expect(engine.rulesFor('config/other.txt', Buffer.from('0123456789abcdef0123456789abcdef\n'))).toBeNull();
  });

  it('the same base64 outside a Secret is not decoded', () => {
    expect(rules('notes.yaml', `kind: ConfigMap\ndata:\n  key: ${b64(cephKey(4))}`)).toEqual([]);
  });
});

describe('kubeconfig credentials', () => {
  const kubeconfig = (user: string) =>
    ['apiVersion: v1', 'kind: Config', 'users:', '- name: admin', '  user:', user].join('\n');

  it('a user token and client-key-data are reported', () => {
    const rng = createRng(5);
    expect(rules('kubeconfig', kubeconfig(`    token: ${rng.chars(B64.slice(0, 62), 32)}`))).toEqual([
      '6:kubeconfig-token',
    ]);
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${rng.chars(B64, 64)}\n-----END RSA PRIVATE KEY-----\n`;
    expect(rules('kubeconfig', kubeconfig(`    client-key-data: ${b64(pem)}`))).toEqual(['6:kubeconfig-client-key']);
  });

  it('client-certificate-data next to it is public', () => {
    const cert = `-----BEGIN CERTIFICATE-----\n${createRng(6).chars(B64, 64)}\n-----END CERTIFICATE-----\n`;
    expect(rules('kubeconfig', kubeconfig(`    client-certificate-data: ${b64(cert)}`))).toEqual([]);
  });
});

/**
 * Recall on full histories (issue 13): each shape below was a labelled real credential that no rule reported. The
 * lines are ours, in the same shape; every value is minted here.
 */
describe('credential shapes missed on real histories', () => {
  const rng = createRng(13);
  const ALNUM = B64.slice(0, 62);
  const HEX = '0123456789abcdef';
  const MIXED_HEX = '0123456789abcdefABCDEF';
  const digits = (n: number) => String(rng.int(1, 9)) + rng.chars('0123456789', n - 1);
  // Random draws may miss a class by chance; these pin one of each where a rule asks for it.
  const mixed = (n: number) => `${rng.chars(ALNUM, n - 3)}Q7k`;

  it('Rails config/master.key, whole file 32 hex (Plazmaz/leaky-repo web/ruby/config/master.key)', () => {
    const key = rng.chars(HEX, 32);
    expect(rules('web/ruby/config/master.key', `${key}\n`)).toEqual(['1:rails-master-key']);
    expect(rules('config/credentials/production.key', key)).toEqual(['1:rails-master-key']);
    // The same 32 hex anywhere else is a checksum or an id.
    expect(rules('web/ruby/config/checksums.txt', `${key}\n`)).toEqual([]);
  });

  it('a Vault s. token as the token row of CLI output, and after `token:` (OWASP/wrongsecrets hint, gitleaks samples)', () => {
    expect(
      rules('hint.adoc', `Key                  Value\n---                  -----\ntoken                s.${mixed(24)}`),
    ).toEqual(['3:vault-legacy-token']);
    expect(rules('vault.yml', `auth:\n  token: s.${mixed(24)}`)).toEqual(['2:vault-legacy-token']);
    expect(rules('notes.md', `see s.${mixed(24)} for details`)).toEqual([]);
  });

  it('Sourcegraph tokens with mixed-case hex, the local form and the first form (gitleaks sourcegraph samples)', () => {
    const t1 = `sgp_${rng.chars(MIXED_HEX, 16)}_${rng.chars(MIXED_HEX, 40)}`;
    const t2 = `sgp_local_${rng.chars(MIXED_HEX, 40)}`;
    const t3 = `sgp_${rng.chars(MIXED_HEX, 40)}`;
    expect(rules('tokens.txt', [t1, t2, t3].join('\n'))).toEqual([
      '1:sourcegraph-access-token',
      '2:sourcegraph-access-token',
      '3:sourcegraph-access-token',
    ]);
    expect(rules('config.yml', `sourcegraph: ${rng.chars(MIXED_HEX, 40)}`)).toEqual(['1:sourcegraph-token-legacy']);
  });

  it('Slack legacy bot, numeric-id and xoxe user tokens (gitleaks slack samples)', () => {
    const bot = `xoxb-${digits(12)}-${mixed(24)}`;
    const numeric = `xoxs-${digits(12)}-${digits(9)}-${digits(10)}-${rng.chars(HEX, 10)}`;
    const user = `xoxe-${digits(13)}-${digits(13)}-${digits(13)}-${rng.chars(HEX, 32)}`;
    expect(rules('slack_test.go', `send("slack", "${bot}")`)).toEqual(['1:slack-legacy-bot-token']);
    expect(rules('slack_test.go', `send("slack", "${numeric}")`)).toEqual(['1:slack-legacy-numeric-token']);
    // In a file URL's query, after `t=`.
    const url = `"url_private": "https:\\/\\/files.slack.com\\/files-pri\\/T0${digits(8)}\\/image.png?t=${user}"`;
    expect(rules('message.json', url)).toEqual(['1:slack-user-token']);
  });

  it('Fly.io macaroon tokens after FlyV1 (gitleaks flyio samples)', () => {
    const body = rng.chars(B64, 180);
    expect(rules('Dockerfile', `ENV FLY_API_TOKEN="FlyV1 fm2_${body}"`)).toEqual(['1:flyio-macaroon-token']);
    expect(rules('deploy.yml', `#   FLY_API_TOKEN: FlyV1 fm1r_${body}==`)).toEqual(['1:flyio-macaroon-token']);
  });

  it('an Atlassian 24-character token under a Jira name, a ClickHouse Cloud secret (gitleaks samples)', () => {
    expect(rules('.env', `JIRA_API_TOKEN=${mixed(24)}`)).toEqual(['1:atlassian-api-token-legacy']);
    expect(rules('clickhouse_test.go', `secret := "4b1d${mixed(38)}"`)).toEqual(['1:clickhouse-cloud-api-secret']);
  });

  it('curl: -u key: with an empty password, {braced} values, options on continuation lines, vendor headers', () => {
    const key = mixed(14);
    expect(rules('notes.sh', `curl -u "${key}:" https://localhost:9200`)).toEqual(['1:curl-basic-auth']);
    expect(
      rules(
        'notes.sh',
        `curl -X POST --user "{${rng.chars(HEX, 8)}-${rng.chars(HEX, 4)}}":"{${key}}" https://api.acme.test`,
      ),
    ).toEqual(['1:curl-basic-auth']);
    expect(
      rules('README.md', `$ curl https://api.acme.test/oauth2/token \\\n  --user ${mixed(15)}:${mixed(15)}`),
    ).toEqual(['2:curl-basic-auth']);
    const basic = Buffer.from(`api:key-${rng.chars(HEX, 32)}`).toString('base64');
    expect(
      rules(
        'send.sh',
        `#curl -X POST \\\n#  https://api.acme.test/v3/messages \\\n#  -H 'Authorization: Basic ${basic}' \\\n#  -F to=ops@acme.test`,
      ),
    ).toEqual(['3:curl-auth-header']);
    const uuid = `${rng.chars(HEX, 8)}-${rng.chars(HEX, 4)}-4${rng.chars(HEX, 3)}-a${rng.chars(HEX, 3)}-${rng.chars(HEX, 12)}`;
    expect(rules('deploy.md', `curl -X GET https://deploy.acme.test/\n     -H "X-Deploy-ApiKey: ${uuid}"`)).toEqual([
      '2:curl-auth-header',
    ]);
    expect(rules('tasks.sh', `curl -XPOST http://localhost:8080/api/tasks -H "Token: ${rng.chars(HEX, 15)}7"`)).toEqual(
      ['1:curl-auth-header'],
    );
    // A placeholder in braces stays a placeholder.
    expect(rules('notes.sh', 'curl --user "{username}":"{password}" https://api.acme.test')).toEqual([]);
  });

  it('a JWT whose first claim name starts with a digit (OWASP/wrongsecrets 1Password Connect access token)', () => {
    const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = [
      b64url({ alg: 'ES256', kid: rng.chars('abcdefghijklmnopqrstuvwxyz234567', 26), typ: 'JWT' }),
      b64url({
        '1vault.test/auuid': rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 26),
        aud: ['com.vault.connect'],
        iat: 1656476907,
      }),
      rng.chars(ALNUM, 86),
    ].join('.');
    expect(token.split('.')[1]!.startsWith('eyIx')).toBe(true);
    expect(rules('secretscache/accesstoken.txt', token)).toEqual(['1:jwt']);
  });

  it('a quoted value with a carriage return before its closing quote (OWASP/wrongsecrets .bash_history)', () => {
    const value = Buffer.from(rng.chars(ALNUM, 32)).toString('base64');
    expect(rules('.bash_history', `git stash\nexport tempPassword="${value}\r"\nmvn run tempPassword`)).toEqual([
      '2:generic-secret',
    ]);
  });
});

describe('raw key bytes under a key name (OWASP/wrongsecrets Constants.java `newKey`)', () => {
  const rng = createRng(17);
  const keyBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => rng.int(0, 255))).toString('base64');

  it('32 random bytes, base64, in a Java constant or a JS const are reported', () => {
    expect(rules('Constants.java', `  public static final String newKey = "${keyBytes(32)}";`)).toEqual([
      '1:encoded-key-bytes',
    ]);
    expect(rules('crypto.js', `const aesKey = '${keyBytes(16)}';`)).toEqual(['1:encoded-key-bytes']);
  });

  it('encoded text, a size that is no key, a public key and a secret-named key (the generic rule) are not', () => {
    expect(
      rules('i18n.js', `const cacheKey = "${Buffer.from('the settings page, second tab').toString('base64')}";`),
    ).toEqual([]);
    expect(rules('crypto.js', `const aesKey = '${keyBytes(30)}';`)).toEqual([]);
    expect(rules('crypto.js', `const publicKey = '${keyBytes(32)}';`)).toEqual([]);
    expect(rules('crypto.js', `const secretKey = '${keyBytes(32)}';`)).toEqual(['1:generic-secret']);
  });
});

describe('credentials files and two-argument forms (Plazmaz/leaky-repo db/.pgpass and .netrc, gitleaks generic samples)', () => {
  const rng = createRng(19);
  const password = () => `${rng.chars(B64.slice(0, 62), 14)}7q`;

  it('a .pgpass line is read in a file of that name only', () => {
    const line = `db.acme.internal:5432:orders:app:${password()}`;
    expect(rules('db/.pgpass', `#hostname:port:database:username:password\n${line}`)).toEqual(['2:pgpass-password']);
    expect(rules('db/notes.txt', line)).toEqual([]);
    // leaky-repo's own `password` is a low-entropy seed value: out of scope, as issue 13 says.
    expect(rules('db/.pgpass', 'localhost:5432:database:root:password')).toEqual([]);
  });

  it('a .netrc machine entry, on one line or several, also echoed by a CI script', () => {
    expect(rules('.netrc', `machine api.acme.test\n  login ci-bot\n  password ${password()}`)).toEqual([
      '3:netrc-password',
    ]);
    expect(rules('ci.sh', `echo "machine git.acme.test login bot password ${password()}" > ~/.netrc`)).toEqual([
      '1:netrc-password',
    ]);
    expect(rules('.netrc', 'machine imap.acme.test login me@acme.test password pass123')).toEqual([]);
  });

  it('a quoted name and a quoted value as two arguments: PHP define(), a getenv default', () => {
    expect(rules('wp-config.php', `define( 'DB_PASSWORD', '${password()}' );`)).toEqual(['1:generic-secret']);
    expect(rules('config.go', `token := utils.GetEnvOrDefault("api_token", "${password()}")`)).toEqual([
      '1:generic-secret',
    ]);
    // A UUID is the key itself under a token or API key name, an id under any other.
    const uuid = `${rng.chars('0123456789abcdef', 8)}-${rng.chars('0123456789abcdef', 4)}-4${rng.chars('0123456789abcdef', 3)}-9${rng.chars('0123456789abcdef', 3)}-${rng.chars('0123456789abcdef', 12)}`;
    expect(rules('config.go', `token := utils.GetEnvOrDefault("api_token", "${uuid}")`)).toEqual(['1:generic-secret']);
    expect(rules('config.go', `id := utils.GetEnvOrDefault("tenant_id", "${uuid}")`)).toEqual([]);
    expect(rules('settings.yml', `request_id: "${uuid}"`)).toEqual([]);
    // An unquoted value is a variable; a translation is a word.
    expect(rules('client.js', 'headers.set("Authorization", token)')).toEqual([]);
    expect(rules('i18n.py', 'label = t("password", "Passwort")')).toEqual([]);
  });
});
