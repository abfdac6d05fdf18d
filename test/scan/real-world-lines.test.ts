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
      `  key: ${b64(cephKey(5))}`,
    ].join('\n');
    const bytes = Buffer.from(text);
    const hits = engine.rulesFor(bytes);
    expect(hits).not.toBeNull();
    expect(hits!.every((h) => h === 0)).toBe(true);
    expect(engine.detectBytes('ceph.yaml', bytes).map((f) => `${f.line}:${f.rule}`)).toEqual(['6:ceph-key']);
    expect(engine.rulesFor(Buffer.from(text.replace('kind: Secret', 'kind: ConfigMap')))).toBeNull();
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
