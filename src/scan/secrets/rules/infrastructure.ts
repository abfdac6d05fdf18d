import { createRng, type Rng } from '../random.js';
import { assignedRule, B64, customRule, examplesLater, type SecretRule, seedOf } from '../rule.js';

const B64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * A Ceph (cephx) key is 28 bytes in base64: type 1 (`AQ`), a creation time, the length 16, then 16 random bytes.
 * Checking that structure tells a key from any other 40-character base64 string starting with `AQ`.
 */
function cephKeyIsValid(key: string): boolean {
  const b = Buffer.from(key, 'base64');
  return b.length === 28 && b[0] === 1 && b[1] === 0 && b[10] === 16 && b[11] === 0;
}

function cephSample(rng: Rng): string {
  const b = Buffer.alloc(28);
  b[0] = 1;
  b.writeUInt32LE(1_500_000_000 + rng.int(0, 200_000_000), 2);
  b[10] = 16;
  for (let i = 12; i < 28; i++) b[i] = rng.int(0, 255);
  return b.toString('base64');
}

const ceph = customRule({
  id: 'ceph-key',
  description: 'Ceph (cephx) authentication key',
  severity: 'high',
  tier: 'specific',
  regex: /(?<![A-Za-z0-9+/])(AQ[A-Za-z0-9+/]{35}[AQgw]==)(?![A-Za-z0-9+/=])/g,
  keywords: ['aq'],
  validate: cephKeyIsValid,
  examples: { positive: [], negative: [] },
  sample: (rng) => `key = ${cephSample(rng)}`,
  rotate: 'Regenerate the client key with `ceph auth get-or-create-key` / `ceph auth caps`, then update every keyring that uses it.',
});
examplesLater(ceph, () => {
  const r = createRng(seedOf(ceph.id));
  ceph.examples.positive = [`[client.admin]\n\tkey = ${cephSample(r)}`, `  key: ${cephSample(r)}`];
  // Same alphabet and length, but not the cephx structure (wrong type byte, wrong length field).
  const wrong = Buffer.from(cephSample(r), 'base64');
  wrong[10] = 32;
  ceph.examples.negative = [`key = ${wrong.toString('base64')}`, 'AQ' + 'Zm9vYmFy'.repeat(4) + 'abcd==x'];
});

/** Kubeconfig files (`kind: Config`) carry user credentials: a bearer `token:` and `client-key-data:`. */
const KUBECONFIG = /^[ \t]*kind:[ \t]*["']?Config["']?[ \t]*$|^[ \t]*(?:- )?user:[ \t]*$/m;

function kubeconfigSample(user: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    '    server: https://10.0.0.1:6443',
    '  name: prod',
    'users:',
    '- name: deployer',
    '  user:',
    user,
  ].join('\n');
}

const kubeToken = customRule({
  id: 'kubeconfig-token',
  description: 'Kubernetes user token in a kubeconfig',
  severity: 'high',
  tier: 'contextual',
  regex: /^[ \t]{2,12}token:[ \t]{1,4}["']?([A-Za-z0-9_.~+/-]{20,2000}={0,2})["']?[ \t]*\r?$/gm,
  keywords: ['token:'],
  entropy: 3.5,
  validate: (_secret, m) => KUBECONFIG.test(m.input),
  examples: { positive: [], negative: [] },
  sampleLine: 9,
  sample: (rng) => kubeconfigSample(`    token: ${rng.chars(B64_CHARS.slice(0, 62), 6)}.${rng.chars(B64_CHARS.slice(0, 62), 16)}`),
  rotate: 'Delete the service-account token secret (or revoke the user credential) and issue a new kubeconfig.',
});
examplesLater(kubeToken, () => {
  const r = createRng(seedOf(kubeToken.id));
  kubeToken.examples.positive = [kubeToken.sample(r)];
  // A `token:` key that is not a kubeconfig user (a CI step's input).
  kubeToken.examples.negative = [`steps:\n  - with:\n      token: ${r.chars(B64_CHARS.slice(0, 62), 32)}`];
});

/** `client-key-data` is a base64 PEM private key: it must decode to one. */
const clientKeyValid = (secret: string): boolean =>
  /-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----/.test(Buffer.from(secret, 'base64').toString('latin1'));

const pemOf = (rng: Rng): string =>
  `-----BEGIN EC PRIVATE KEY-----\n${rng.chars(B64_CHARS, 64)}\n${rng.chars(B64_CHARS, 57)}=\n-----END EC PRIVATE KEY-----\n`;

const kubeClientKey = customRule({
  id: 'kubeconfig-client-key',
  description: 'Kubernetes client private key in a kubeconfig (client-key-data)',
  severity: 'critical',
  tier: 'specific',
  regex: /client-key-data["']?:[ \t]{0,4}["']?([A-Za-z0-9+/]{100,16384}={0,2})/g,
  keywords: ['client-key-data'],
  validate: clientKeyValid,
  ownPlaceholderCheck: true,
  examples: { positive: [], negative: [] },
  sampleLine: 9,
  sample: (rng) => kubeconfigSample(`    client-key-data: ${Buffer.from(pemOf(rng)).toString('base64')}`),
  rotate: 'Revoke the client certificate (or rotate the cluster CA) and issue a new client key and kubeconfig.',
});
examplesLater(kubeClientKey, () => {
  const r = createRng(seedOf(kubeClientKey.id));
  kubeClientKey.examples.positive = [kubeClientKey.sample(r)];
  // The certificate next to it is public.
  const cert = Buffer.from(`-----BEGIN CERTIFICATE-----\n${r.chars(B64_CHARS, 64)}\n-----END CERTIFICATE-----\n`).toString('base64');
  kubeClientKey.examples.negative = [`    client-key-data: ${cert}`];
});

/**
 * An Azure storage account key on its own (64 random bytes, 88 base64 characters), under a name that says what it
 * is: `azurestorageaccountkey` (the Azure File volume Secret), `AccountKey`, `AZURE_STORAGE_KEY`.
 */
const azureStorageKey = assignedRule({
  id: 'azure-storage-account-key',
  description: 'Azure storage account key',
  severity: 'critical',
  names: 'azure[_.-]?storage[_.-]?(?:account[_.-]?)?(?:access[_.-]?)?key|storage[_.-]?account[_.-]?(?:access[_.-]?)?key|account[_.-]?key',
  sampleNames: ['azurestorageaccountkey', 'AZURE_STORAGE_KEY', 'storage_account_access_key', 'AccountKey'],
  keywords: ['accountkey', 'account_key', 'account-key', 'storagekey', 'storage_key', 'storage-key', 'storage_account', 'storageaccount'],
  value: [[B64, 86], '=='],
  entropy: 4.5,
  rotate: 'Azure portal → storage account → Access keys: rotate the key, then update every connection string.',
});

/**
 * Any other value in a Kubernetes Secret's `data:`/`stringData:` is a secret by definition. This rule runs only on
 * decoded Secret values that no other rule recognised (the engine decides that), never on plain text.
 */
const NOT_SECRET_KEY =
  /user|login|email|host|address|addr$|url$|uri$|endpoint|server|port$|namespace|region|zone|database$|name$|type$|path$|\.crt$|\.pub$|\.pem$|^ca$/i;

/**
 * One token of printable text: a password, key or token. Text with spaces (a config file, a sentence), numbers,
 * URLs without credentials, certificates and JWTs its own rule rejected (the jwt.io sample) are not reported.
 */
function secretValueShape(value: string): boolean {
  if (/\s/.test(value) || !/[A-Za-z]/.test(value)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\/(?:[^:@/]+@)?[^@]*$/i.test(value) || /^\/|^[A-Za-z]:\\/.test(value)) return false;
  // `NAME=value`: an env file stored whole; the rules that ran on it already judged each line.
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(value)) return false;
  // A DER certificate or public key in base64 (MIIDdzCC…, MIIBIjAN…) is public.
  return !/^eyJ/.test(value) && !/^MII[A-Za-z0-9+/]{1,3}(?:CC|IjAN)/.test(value);
}

const k8sValue = customRule({
  id: 'kubernetes-secret-value',
  description: 'Value of a Kubernetes Secret (no known credential shape)',
  severity: 'high',
  tier: 'generic',
  regex: /^([A-Za-z0-9._-]{1,253}): ([^\r\n]{6,4096})$/g,
  secretGroup: 2,
  // Only for the rules test and the prefilter's table: the engine runs this rule on decoded values alone.
  keywords: ['secret'],
  decodedOnly: true,
  validate: (secret, m) => !NOT_SECRET_KEY.test(m[1]!) && secretValueShape(secret),
  examples: { positive: [], negative: [] },
  sampleLine: 6,
  sample: (rng) => k8sSecret('key', rng.chars(B64_CHARS.slice(0, 62), 24)),
  rotate: 'Rotate the credential at whatever issued it, then recreate the Secret from a secrets manager rather than a committed manifest.',
});

function k8sSecret(key: string, value: string): string {
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n  ${key}: ${Buffer.from(value).toString('base64')}\n`;
}
examplesLater(k8sValue, () => {
  const r = createRng(seedOf(k8sValue.id));
  k8sValue.examples.positive = [k8sValue.sample(r), k8sSecret('secret', `s3cr3t-${r.chars('abcdefghijk0123456789', 10)}`)];
  k8sValue.examples.negative = [
    k8sSecret('username', 'admin-operator'),
    k8sSecret('apiAddress', 'tcp://127.0.0.1:5705'),
    // Outside a Secret the same line is nothing.
    `key: ${r.chars(B64_CHARS.slice(0, 62), 24)}`,
  ];
});

/** Infrastructure credentials: Ceph, kubeconfig users, Azure storage keys, and Kubernetes Secret values. */
export const infrastructureRules: SecretRule[] = [ceph, kubeClientKey, kubeToken, azureStorageKey, k8sValue];
