import { validBase62Crc, withBase62Crc } from '../checksum.js';
import type { Rng } from '../random.js';
import { ALNUM, B64URL, customRule, examplesLater, HEX, type SecretRule, seedOf, tokenRule } from '../rule.js';
import { createRng } from '../random.js';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `auth` in a Docker config is base64 of `user:password`; anything else is not a credential pair. */
function dockerAuthDecodes(secret: string): boolean {
  const decoded = Buffer.from(secret, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && colon < decoded.length - 3 && /^[\x20-\x7e]+$/.test(decoded);
}

const dockerAuthSample = (rng: Rng): string => {
  const user = rng.pick(['deploy', 'ci-bot', 'admin', 'builder']);
  const auth = Buffer.from(`${user}:${rng.chars(BASE62, 24)}`).toString('base64');
  return `{"auths": {"registry.example.io": {"auth": "${auth}"}}}`;
};

const npmrcSample = (rng: Rng): string =>
  `//registry.npmjs.org/:_authToken=${rng.pick(['', 'npm_'])}${rng.chars(BASE62, 36)}`;

const npmrc = customRule({
  id: 'npmrc-auth-token',
  description: 'Registry auth token in an .npmrc',
  severity: 'critical',
  tier: 'contextual',
  // Scoped (`//host/:_authToken=`) or the legacy top-level `_auth=` (base64 of user:password, so it must decode).
  regex: /(?:^|[:\n])_(?:authToken|auth|password)\s{0,2}=\s{0,2}["']?([A-Za-z0-9+/=_.:-]{16,512})(?![A-Za-z0-9+/=_.:-])/g,
  keywords: ['_authtoken', '_auth', '_password'],
  entropy: 3,
  validate: (secret, m) => m[0].startsWith(':') || (/^\n?_auth\s{0,2}=/.test(m[0]) && dockerAuthDecodes(secret)),
  examples: { positive: [], negative: ['//registry.npmjs.org/:_authToken=${NPM_TOKEN}'] },
  sample: npmrcSample,
  rotate: 'npmjs.com → Access Tokens: delete the token; use an automation or granular token from CI secrets.',
});
examplesLater(npmrc, () => {
  const r = createRng(seedOf(npmrc.id));
  npmrc.examples.positive = [npmrcSample(r), `registry=https://npm.corp.internal/\n_auth=${Buffer.from(`ci:${r.chars(BASE62, 20)}`).toString('base64')}`];
  npmrc.examples.negative.push(`_auth=${Buffer.from(r.chars(BASE62, 24)).toString('base64')}`);
});

const docker = customRule({
  id: 'docker-config-auth',
  description: 'Registry credentials in a Docker config (auths.*.auth)',
  severity: 'high',
  tier: 'contextual',
  regex: /"auth"\s{0,4}:\s{0,4}"([A-Za-z0-9+/]{12,512}={0,2})"/g,
  keywords: ['"auth"'],
  validate: dockerAuthDecodes,
  examples: { positive: [], negative: [`{"auths": {"ghcr.io": {"auth": "${Buffer.from('nocolonhere').toString('base64')}"}}}`] },
  sample: dockerAuthSample,
  rotate: 'Change the registry password or revoke the access token, then `docker logout` and use a credential helper.',
});
examplesLater(docker, () => {
  docker.examples.positive = [dockerAuthSample(createRng(seedOf(docker.id)))];
});

/** Package registries: npm, PyPI, RubyGems, NuGet, Docker, crates.io, Artifactory and others. */
export const registryRules: SecretRule[] = [
  tokenRule({
    id: 'npm-access-token',
    description: 'npm access token',
    severity: 'critical',
    parts: ['npm_', [ALNUM, 36]],
    validate: validBase62Crc,
    sample: (rng) => 'npm_' + withBase62Crc(rng.chars(BASE62, 30)),
    negative: ['npm_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2'],
    rotate: 'npmjs.com → Access Tokens: delete the token and create a granular one.',
  }),
  npmrc,
  tokenRule({
    id: 'pypi-upload-token',
    description: 'PyPI upload token',
    severity: 'critical',
    parts: [{ oneOf: ['pypi-AgEIcHlwaS5vcmc', 'pypi-AgENdGVzdC5weXBpLm9yZw'] }, [B64URL, 70, 220]],
    rotate: 'pypi.org → Account settings → API tokens: remove the token; prefer trusted publishing.',
  }),
  tokenRule({ id: 'rubygems-api-key', description: 'RubyGems API key', severity: 'critical', parts: ['rubygems_', [HEX, 48]] }),
  tokenRule({ id: 'nuget-api-key', description: 'NuGet API key', severity: 'critical', parts: ['oy2', ['a-z0-9', 43]], entropy: 3.5 }),
  docker,
  tokenRule({ id: 'dockerhub-pat', description: 'Docker Hub personal or organization access token', severity: 'high', parts: [{ oneOf: ['dckr_pat_', 'dckr_oat_'] }, [B64URL, 27]] }),
  tokenRule({ id: 'crates-io-token', description: 'crates.io API token', severity: 'high', parts: ['cio', [ALNUM, 32]], entropy: 3.5 }),
  tokenRule({ id: 'artifactory-api-key', description: 'JFrog Artifactory API key', severity: 'high', parts: ['AKCp', [ALNUM, 69]] }),
  tokenRule({ id: 'artifactory-reference-token', description: 'JFrog Artifactory reference token', severity: 'high', parts: ['cmVmdGtuOjAxOj', [ALNUM, 50]] }),
  tokenRule({ id: 'clojars-token', description: 'Clojars deploy token', severity: 'high', parts: ['CLOJARS_', ['a-z0-9', 60]] }),
];
