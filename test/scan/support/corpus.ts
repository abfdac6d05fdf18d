import type { Rng } from '../../../src/scan/secrets/random.js';
import type { SecretRule } from '../../../src/scan/secrets/rule.js';

/** One planted credential: where it is and which rule must report it. */
export interface Label {
  file: string;
  line: number;
  rule: string;
}

export interface Corpus {
  files: Map<string, string>;
  labels: Label[];
  decoys: number;
}

type Style = { ext: string; header: string[]; wrap: (name: string, value: string) => string; footer: string[] };

/** Realistic file styles a credential ends up in. */
const STYLES: Style[] = [
  {
    ext: '.env',
    header: ['# service configuration', 'NODE_ENV=production', 'PORT=8080'],
    wrap: (n, v) => `${n}=${v}`,
    footer: ['LOG_LEVEL=info'],
  },
  {
    ext: '.json',
    header: ['{', '  "name": "billing-service",', '  "region": "eu-west-1",'],
    wrap: (n, v) => `  "${n.toLowerCase()}": ${JSON.stringify(v)},`,
    footer: ['  "debug": false', '}'],
  },
  {
    ext: '.yaml',
    header: ['service:', '  name: checkout', '  replicas: 3', 'settings:'],
    wrap: (n, v) => `  ${n.toLowerCase()}: "${v}"`,
    footer: ['  retries: 5'],
  },
  {
    ext: '.py',
    header: ['import os', 'import requests', '', 'TIMEOUT = 30'],
    wrap: (n, v) => `${n} = "${v}"`,
    footer: ['', 'def main():', '    return requests.get("https://api.acme-corp.io", timeout=TIMEOUT)'],
  },
  {
    ext: '.js',
    header: ["'use strict';", "const axios = require('axios');", ''],
    wrap: (n, v) => `const ${n.toLowerCase()} = '${v}';`,
    footer: ['module.exports = { axios };'],
  },
  {
    ext: '.tf',
    header: [
      'provider "aws" {',
      '  region = "us-east-1"',
      '}',
      '',
      'resource "null_resource" "svc" {',
      '  triggers = {',
    ],
    wrap: (n, v) => `    ${n.toLowerCase()} = "${v}"`,
    footer: ['  }', '}'],
  },
  {
    ext: '.dockerfile',
    header: ['FROM node:20-alpine', 'WORKDIR /app', 'COPY . .'],
    wrap: (n, v) => `ENV ${n}=${v}`,
    footer: ['RUN npm ci --omit=dev', 'CMD ["node", "server.js"]'],
  },
  {
    ext: '.k8s.yaml',
    header: ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app-secrets', 'type: Opaque', 'stringData:'],
    wrap: (n, v) => `  ${n.toLowerCase()}: "${v}"`,
    footer: [],
  },
  {
    ext: '.sh',
    header: ['#!/bin/sh', 'set -eu', ''],
    wrap: (n, v) => `export ${n}='${v}'`,
    footer: ['exec ./deploy.sh "$@"'],
  },
  {
    ext: '.md',
    header: ['# Deploying', '', 'Set the credential before running the script:', '', '```sh'],
    wrap: (n, v) => `curl -sS "https://api.acme-corp.io/v2/items?${n.toLowerCase()}=${v}"`,
    footer: ['```', '', 'See the runbook for rotation.'],
  },
  {
    ext: '.xml',
    header: [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<settings>',
      '  <servers>',
      '    <server>',
      '      <id>internal</id>',
    ],
    wrap: (_n, v) => `      <password>${v}</password>`,
    footer: ['    </server>', '  </servers>', '</settings>'],
  },
  {
    ext: '.properties',
    header: ['# application.properties', 'server.port=8443', 'spring.application.name=orders'],
    wrap: (n, v) => `app.${n.toLowerCase().replace(/_/g, '.')}=${v}`,
    footer: ['logging.level.root=WARN'],
  },
  {
    ext: '.toml',
    header: ['[package]', 'name = "ingest"', 'version = "0.4.1"', '', '[service]'],
    wrap: (n, v) => `${n.toLowerCase()} = "${v}"`,
    footer: ['timeout_ms = 2500'],
  },
  {
    ext: '.ci.yml',
    header: ['name: deploy', 'on: push', 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    env:'],
    wrap: (n, v) => `      ${n}: ${v}`,
    footer: ['    steps:', '      - run: ./deploy.sh'],
  },
];

/** Neutral names (not secret words) so the specific rule alone must find the value. */
const NEUTRAL_NAMES = ['SERVICE_CONN', 'UPSTREAM_AUTH', 'INTEGRATION_VALUE', 'PROVIDER_CRED', 'CLIENT_SETTING'];

/**
 * Look-alikes that must not be reported: placeholders, documented example keys, publishable and public keys,
 * hashes, integrity strings, UUIDs, data URIs, minified code, bad checksums, references to secrets.
 */
export function decoyLines(rng: Rng, hex: (n: number) => string, b64: (n: number) => string): string[] {
  const ghBad = `ghp_${b64(30).replace(/[+/]/g, 'a')}${'AbC123'}`;
  return [
    'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    'STRIPE_SECRET_KEY=sk_live_your_stripe_key_here',
    'NPM_TOKEN=${NPM_TOKEN}',
    'token: ${{ secrets.DEPLOY_TOKEN }}',
    'api_key: <YOUR_API_KEY>',
    'password: changeme',
    'DB_PASSWORD=changeme123',
    `aws_access_key_id = ${['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('')}`,
    `aws_secret_access_key = ${['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCY', 'EXAMPLEKEY'].join('/')}`,
    `STRIPE_PUBLISHABLE_KEY=pk_live_${b64(24).replace(/[+/]/g, 'Q')}`,
    `NEXT_PUBLIC_KEY="pk_test_${b64(24).replace(/[+/]/g, 'Z')}"`,
    `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${b64(43).replace(/[+/]/g, 'k')} deploy@ci`,
    `public_key: "${b64(60)}"`,
    `checksum: ${hex(64)}`,
    `sha256sum = "${hex(64)}"`,
    `commit_sha: ${hex(40)}`,
    `md5_hash = '${hex(32)}'`,
    `"integrity": "sha512-${b64(86)}=="`,
    `request_id = "${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}"`,
    `logo = "data:image/png;base64,${b64(120)}"`,
    `!function(e,t){var n={token:"${b64(10)}",key:"${b64(8)}"};${'e.a=t.b,'.repeat(80)}}(window,document);`,
    ghBad,
    `npm_${b64(36).replace(/[+/]/g, 'n')}`,
    'password = os.environ["DB_PASSWORD"]',
    'const token = process.env.GITHUB_TOKEN;',
    'api_key = settings.API_KEY',
    `token_url = "https://auth.acme-corp.io/oauth/token"`,
    'max_tokens: 4096',
    'password: hunter2',
    `secret_name: "prod/${rng.pick(['db', 'api'])}/credentials"`,
    'SENTRY_DSN=https://' + hex(32) + '@o123456.ingest.sentry.io/1234567',
    `version: 1.2.${rng.int(0, 9)}`,
    '-----BEGIN PUBLIC KEY-----',
    'password = ""',
    'curl -H "Authorization: Bearer $API_TOKEN" https://api.acme-corp.io',
    `https://user:password@example.com/path`,
    `postgres://postgres:postgres@localhost:5432/dev`,
    `AKIA${hex(4).toUpperCase()}`,
    `xoxb-not-a-real-token`,
    `jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"`,
    `color_token = "#${hex(6)}"`,
    `cache_key = "v2-${hex(40)}"`,
    `font_token: "Inter-SemiBold"`,
    `icon_secret_prefix = "s3cr3t"`,
    'const tokenizer = new Tokenizer(options.vocabulary);',
    'password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())',
    '        secretKeyRef: { name: db-credentials, key: password }',
    '  "password": "{{ .Values.postgresql.auth.password }}",',
    '  api_key = "${var.datadog_api_key}"',
    '  password = random_password.db.result',
    `SOURCE_COMMIT=${hex(40)}`,
    'AUTH_SECRET=',
    `<script src="/app.js" integrity="sha384-${b64(64)}" crossorigin="anonymous"></script>`,
    `csrf_token = "${b64(32).replace(/[+/]/g, 'c')}"`,
    `session_id: ${hex(32)}`,
    `aws_access_key_id = akia${hex(16)}`,
    `STRIPE_KEY=sk_live_${b64(8).replace(/[+/]/g, 'x')}`,
    'SLACK_TOKEN=xoxb-your-bot-token',
    `image: ghcr.io/acme/api@sha256:${hex(64)}`,
    `background: url(data:image/svg+xml;base64,${b64(200)});`,
    'const secret = await vault.read(`kv/data/${env}/api`);',
    'TOKEN_EXPIRY_SECONDS=3600',
    `  "tokenEndpoint": "https://login.acme-corp.io/${hex(8)}/oauth2/v2.0/token",`,
    'if (password.length < MIN_PASSWORD_LENGTH) throw new Error("too short");',
  ];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Builds the labeled corpus: `perRule` samples of every rule, spread over file styles, plus decoys in each file. */
export function buildCorpus(rules: readonly SecretRule[], rng: Rng, perRule: number): Corpus {
  const files = new Map<string, string>();
  const labels: Label[] = [];
  const hex = (n: number) => rng.chars('0123456789abcdef', n);
  const b64 = (n: number) => rng.chars(B64, n);
  const decoys = decoyLines(rng, hex, b64);
  let decoyCount = 0;
  let fileNo = 0;
  for (const rule of rules) {
    for (let k = 0; k < perRule; k++) {
      if (rule.samplePath) {
        // A rule confined to a file name (Rails' master.key): the sample is that file's whole content.
        const name = `corpus/${rule.id}-${k}/${rule.samplePath}`;
        files.set(name, `${rule.sample(rng)}\n`);
        labels.push({ file: name, line: 1 + (rule.sampleLine ?? 0), rule: rule.id });
        continue;
      }
      const style = STYLES[(fileNo + k) % STYLES.length]!;
      const name = `corpus/${rule.id}-${k}${style.ext}`;
      const lines = [...style.header];
      // A few decoys before and after the planted value.
      for (let d = 0; d < 2; d++) {
        lines.push(decoys[(fileNo * 3 + d) % decoys.length]!);
        decoyCount++;
      }
      const sample = rule.sample(rng);
      // Assignment-shaped samples (contextual, generic) and multi-line blocks go in as they are.
      const raw = rule.tier !== 'specific' || sample.includes('\n');
      if (sample.includes('\n') && style.ext === '.json') {
        lines.push(`  "private_material": ${JSON.stringify(sample)},`);
      } else if (raw) {
        lines.push(...sample.split('\n'));
      } else {
        lines.push(style.wrap(rng.pick(NEUTRAL_NAMES), sample));
      }
      const planted =
        lines.length -
        (sample.includes('\n') && style.ext !== '.json' ? sample.split('\n').length - 1 - (rule.sampleLine ?? 0) : 0);
      labels.push({ file: name, line: planted, rule: rule.id });
      lines.push(decoys[(fileNo * 3 + 2) % decoys.length]!);
      decoyCount++;
      lines.push(...style.footer);
      files.set(name, `${lines.join('\n')}\n`);
      fileNo++;
    }
  }
  // Files of decoys only: lockfile, minified bundle, docs with placeholders.
  files.set(
    'package-lock.json',
    JSON.stringify(
      {
        packages: Object.fromEntries(
          Array.from({ length: 40 }, (_, i) => [
            `node_modules/pkg-${i}`,
            {
              version: `1.0.${i}`,
              integrity: `sha512-${b64(86)}==`,
              resolved: `https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-1.0.${i}.tgz`,
            },
          ]),
        ),
      },
      null,
      2,
    ),
  );
  files.set(
    'dist/app.min.js',
    Array.from(
      { length: 5 },
      () => `var a={apiKey:"${b64(24)}",token:"${b64(32)}"};` + 'function x(n){return n*2}'.repeat(40),
    ).join(''),
  );
  files.set('docs/setup.md', `${decoys.map((d) => `    ${d}`).join('\n')}\n`);
  decoyCount += decoys.length + 80;
  return { files, labels, decoys: decoyCount };
}
