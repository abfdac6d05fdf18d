import { ALNUM, B64STD, DIGITS, HEXL, Prng, UPPER } from './prng.js';
import { B64, MINTERS, base62Pad6, crc32Bitwise, password, pemBlock, uuid } from './formats.js';

/** A file with several credentials at known lines: `labels` are 1-based line numbers with a family and kind. */
export interface Built {
  path: string;
  text: string;
  labels: { line: number; family: string; kind: string }[];
}

const akid = (r: Prng) => r.pick(['AKIA', 'ASIA']) + r.str('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16);
const awsSecret = (r: Prng) => r.str(B64STD, 40);

/** Assembles lines; `mark` records the line just pushed as a label. */
class Lines {
  readonly lines: string[] = [];
  readonly labels: Built['labels'] = [];
  push(...l: string[]): this {
    this.lines.push(...l);
    return this;
  }
  mark(line: string, family: string, kind: string): this {
    this.lines.push(line);
    this.labels.push({ line: this.lines.length, family, kind });
    return this;
  }
  /** A multi-line value: the label is on its first line. */
  markBlock(block: string, family: string, kind: string): this {
    this.labels.push({ line: this.lines.length + 1, family, kind });
    this.lines.push(...block.split('\n'));
    return this;
  }
  build(path: string, eol = '\n'): Built {
    return { path, text: this.lines.join(eol) + eol, labels: this.labels };
  }
}

/** AWS key pairs in the shapes real configs use. */
export function awsFiles(r: Prng, n: number): Built[] {
  const shapes: ((i: number) => Built)[] = [
    (i) =>
      new Lines()
        .push('[default]')
        .mark(`aws_access_key_id = ${akid(r)}`, 'aws', 'akid')
        .mark(`aws_secret_access_key = ${awsSecret(r)}`, 'aws', 'secret')
        .push('region = eu-west-1', '', '[prod]')
        .mark(`aws_access_key_id=${akid(r)}`, 'aws', 'akid')
        .mark(`aws_secret_access_key=${awsSecret(r)}`, 'aws', 'secret')
        .build(`home/ops${i}/.aws/credentials`),
    (i) =>
      new Lines()
        .push('AWS_REGION=us-east-1')
        .mark(`AWS_ACCESS_KEY_ID=${akid(r)}`, 'aws', 'akid')
        .mark(`AWS_SECRET_ACCESS_KEY="${awsSecret(r)}"`, 'aws', 'secret')
        .build(`services/s3-sync-${i}/.env`),
    (i) =>
      new Lines()
        .push('provider "aws" {', '  region     = "us-west-2"')
        .mark(`  access_key = "${akid(r)}"`, 'aws', 'akid')
        .mark(`  secret_key = "${awsSecret(r)}"`, 'aws', 'secret')
        .push('}')
        .build(`infra/aws-${i}/provider.tf`),
    (i) =>
      new Lines()
        .push('import boto3', '', 's3 = boto3.client(', '    "s3",')
        .mark(`    aws_access_key_id="${akid(r)}",`, 'aws', 'akid')
        .mark(`    aws_secret_access_key="${awsSecret(r)}",`, 'aws', 'secret')
        .push(')')
        .build(`jobs/upload_${i}.py`),
    (i) =>
      new Lines()
        .push(
          'const { S3Client } = require("@aws-sdk/client-s3");',
          'const s3 = new S3Client({',
          '  region: "eu-central-1",',
          '  credentials: {',
        )
        .mark(`    accessKeyId: "${akid(r)}",`, 'aws', 'akid')
        .mark(`    secretAccessKey: "${awsSecret(r)}",`, 'aws', 'secret')
        .push('  },', '});')
        .build(`lambda/handler${i}.js`),
    (i) =>
      new Lines()
        .push('jobs:', '  deploy:', '    env:')
        .mark(`      AWS_ACCESS_KEY_ID: ${akid(r)}`, 'aws', 'akid')
        .mark(`      AWS_SECRET_ACCESS_KEY: ${awsSecret(r)}`, 'aws', 'secret')
        .build(`.github/workflows/aws-${i}.yml`),
    (i) =>
      new Lines()
        .push('{', ' "cells": [', '  {', '   "cell_type": "code",', '   "source": [', '    "import boto3\\n",')
        .mark(`    "AWS_ACCESS_KEY_ID = \\"${akid(r)}\\"\\n",`, 'aws', 'akid')
        .mark(`    "AWS_SECRET_ACCESS_KEY = \\"${awsSecret(r)}\\"\\n",`, 'aws', 'secret')
        .push('    "s3 = boto3.client(\\"s3\\")"', '   ]', '  }', ' ],', ' "nbformat": 4', '}')
        .build(`notebooks/s3-${i}.ipynb`),
    (i) =>
      new Lines()
        .push('services:', '  worker:', '    image: acme/worker:1.4', '    environment:')
        .mark(`      - AWS_ACCESS_KEY_ID=${akid(r)}`, 'aws', 'akid')
        .mark(`      - AWS_SECRET_ACCESS_KEY=${awsSecret(r)}`, 'aws', 'secret')
        .mark(`      - DATABASE_URL=postgresql://worker:${password(r)}@db:5432/jobs`, 'url', 'compose-db')
        .build(`compose/docker-compose.${i}.yml`),
  ];
  return Array.from({ length: n }, (_, i) => shapes[i % shapes.length]!(i));
}

/** A GCP service-account key file: the private key is a PEM with `\n` escapes inside a JSON string. */
export function gcpFiles(r: Prng, n: number): Built[] {
  return Array.from({ length: n }, (_, i) => {
    const project = `${r.pick(['acme', 'orbit', 'ledger'])}-${r.pick(['prod', 'data', 'ml'])}-${r.digits(6)}`;
    return new Lines()
      .push('{', '  "type": "service_account",', `  "project_id": "${project}",`)
      .mark(`  "private_key_id": "${r.str(HEXL, 40)}",`, 'gcp', 'private_key_id')
      .mark(`  "private_key": "${pemBlock(r, 'PRIVATE KEY', '\\n')}\\n",`, 'private-key', 'gcp-pem')
      .push(
        `  "client_email": "deployer@${project}.iam.gserviceaccount.com",`,
        `  "client_id": "${r.digits(21)}",`,
        '  "auth_uri": "https://accounts.google.com/o/oauth2/auth",',
        '  "token_uri": "https://oauth2.googleapis.com/token",',
        '  "universe_domain": "googleapis.com"',
        '}',
      )
      .build(`secrets/gcp-${i}/${project}-${r.str(HEXL, 12)}.json`);
  });
}

/** PEM private keys: key files, YAML block scalars, code strings, CRLF checkouts. */
export function pemFiles(r: Prng, n: number): Built[] {
  const labels = ['OPENSSH PRIVATE KEY', 'PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'];
  return Array.from({ length: n }, (_, i) => {
    const label = labels[i % labels.length]!;
    const style = Math.floor(i / labels.length) % 4;
    if (style === 0) return new Lines().markBlock(pemBlock(r, label), 'private-key', label).build(`keys/id_${i}.pem`);
    if (style === 1) {
      const block = pemBlock(r, label)
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n');
      return new Lines()
        .push('tls:', '  enabled: true', '  key: |')
        .markBlock(block, 'private-key', label)
        .push('  port: 443')
        .build(`charts/app/values-${i}.yaml`);
    }
    if (style === 2 && i % 2 === 0)
      return new Lines()
        .push('NODE_ENV=production')
        .mark(`FIREBASE_PRIVATE_KEY="${pemBlock(r, label, '\\n')}\\n"`, 'private-key', label)
        .build(`web/app-${i}/.env.production`);
    if (style === 2)
      return new Lines()
        .push('SIGNING_KEY = """\\')
        .markBlock(pemBlock(r, label), 'private-key', label)
        .push('"""')
        .build(`app/signing_${i}.py`);
    return new Lines().markBlock(pemBlock(r, label, '\n'), 'private-key', label).build(`certs/win-${i}.key`, '\r\n');
  });
}

/** Registry credentials: Docker config.json `auths`, .npmrc tokens. */
export function registryFiles(r: Prng, n: number): Built[] {
  const out: Built[] = [];
  for (let i = 0; i < n; i++) {
    const user = r.pick(['ci-bot', 'deploy', 'robot$builder', 'admin@acme.io']);
    out.push(
      new Lines()
        .push(
          '{',
          '  "auths": {',
          `    "${r.pick(['ghcr.io', 'registry.gitlab.com', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'https://index.docker.io/v1/'])}": {`,
        )
        .mark(`      "auth": "${B64(`${user}:${password(r)}`)}"`, 'docker', 'auths')
        .push('    }', '  },', '  "credsStore": ""', '}')
        .build(`ci/docker-${i}/config.json`),
    );
    const random30 = r.str(ALNUM, 30);
    const npmToken = r.chance(0.6) ? 'npm_' + random30 + base62Pad6(crc32Bitwise(random30)) : uuid(r);
    out.push(
      new Lines()
        .push('registry=https://registry.npmjs.org/', '@acme:registry=https://npm.pkg.github.com/')
        .mark(`//registry.npmjs.org/:_authToken=${npmToken}`, 'npm', 'npmrc')
        .push('always-auth=true')
        .build(`packages/pkg-${i}/.npmrc`),
    );
  }
  return out;
}

/** Providers whose secret has no unique prefix: Twilio (SID + auth token), Discord bot tokens. */
export function contextualFiles(r: Prng, n: number): Built[] {
  const out: Built[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      new Lines()
        .push(`TWILIO_ACCOUNT_SID=AC${r.str(HEXL, 32)}`)
        .mark(`TWILIO_AUTH_TOKEN=${r.str(HEXL, 32)}`, 'twilio', 'auth-token')
        .mark(`TWILIO_API_KEY=SK${r.str(HEXL, 32)}`, 'twilio', 'sk')
        .build(`services/sms-${i}/.env`),
    );
    // Discord bot token: base64 of the bot's user id, a 6-character timestamp and an HMAC.
    const botId = r.digits(r.int(17, 19));
    const token = `${Buffer.from(botId).toString('base64').replace(/=+$/, '')}.${r.str(ALNUM + '-_', 6)}.${r.str(ALNUM + '-_', r.int(27, 38))}`;
    out.push(
      new Lines()
        .push('import discord', '', 'client = discord.Client(intents=discord.Intents.default())')
        .mark(r.chance(0.5) ? `DISCORD_TOKEN = "${token}"` : `client.run("${token}")`, 'discord', 'bot')
        .build(`bots/bot_${i}.py`),
    );
  }
  return out;
}

/** Azure connection strings in .NET configuration. */
export function azureFiles(r: Prng, n: number): Built[] {
  return Array.from({ length: n }, (_, i) =>
    new Lines()
      .push('{', '  "Logging": { "LogLevel": { "Default": "Information" } },', '  "ConnectionStrings": {')
      .mark(
        `    "Storage": "DefaultEndpointsProtocol=https;AccountName=${r.str('abcdefghijklmnopqrstuvwxyz0123456789', r.int(3, 24))};AccountKey=${r.str(B64STD, 86)}==;EndpointSuffix=core.windows.net",`,
        'azure',
        'storage-conn',
      )
      .mark(
        `    "Sql": "Server=tcp:${r.pick(['crm', 'orders'])}.database.windows.net,1433;Initial Catalog=app;User ID=app;Password=${password(r).replace(/%\d\d/g, '#')};Encrypt=True;"`,
        'url',
        'ado-net',
      )
      .push('  }', '}')
      .build(`src/Api${i}/appsettings.Production.json`),
  );
}

/** Plain password assignments: only the generic rule can find these. */
export function genericFiles(r: Prng, n: number): Built[] {
  return Array.from({ length: n }, (_, i) =>
    new Lines()
      .push('database:', '  host: db.prod.internal', '  user: orders')
      .mark(
        `  password: "${r.str(ALNUM, 6)}${r.str(DIGITS, 2)}${r.str(UPPER, 2)}${r.str(ALNUM, r.int(8, 16))}"`,
        'generic',
        'password',
      )
      .build(`config/database-${i}.yml`),
  );
}

/** Tokens used as the password of a URL: git remotes, CI clones, registry URLs. The provider's family must win. */
export function urlTokenFiles(r: Prng, n: number): Built[] {
  const gh = MINTERS[3]!; // ghs_: what Actions and GitHub Apps clone with
  const gl = MINTERS.find((m) => m(new Prng(1)).kind === 'glpat')!;
  return Array.from({ length: n }, (_, i) => {
    const l = new Lines().push('[core]', '\trepositoryformatversion = 0', '[remote "origin"]');
    if (i % 2 === 0)
      l.mark(
        `\turl = https://x-access-token:${gh(r).value}@github.com/acme/${r.pick(['api', 'web'])}.git`,
        'github',
        'remote-url',
      );
    else l.mark(`\turl = https://oauth2:${gl(r).value}@gitlab.com/acme/infra.git`, 'gitlab', 'remote-url');
    return l.push('\tfetch = +refs/heads/*:refs/remotes/origin/*').build(`clones/repo-${i}/.git-config`);
  });
}

/** An encrypted legacy PEM (Proc-Type/DEK-Info headers) is still a private key. */
export function encryptedPemFiles(r: Prng, n: number): Built[] {
  return Array.from({ length: n }, (_, i) => {
    const block = pemBlock(r, 'RSA PRIVATE KEY').split('\n');
    block.splice(1, 0, 'Proc-Type: 4,ENCRYPTED', `DEK-Info: AES-256-CBC,${r.str(HEXL, 32).toUpperCase()}`, '');
    return new Lines().markBlock(block.join('\n'), 'private-key', 'rsa-encrypted').build(`legacy/server-${i}.key`);
  });
}

/** Forms written after the first measurement and the fixes, measured once: usage shapes rather than new formats. */
export function usageFiles(r: Prng, n: number): Built[] {
  const mint = (kind: string) => MINTERS.find((m) => m(new Prng(1)).kind === kind)!(r).value;
  const out: Built[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      new Lines()
        .push('import requests', '')
        .mark(`URL = "https://api.telegram.org/bot${mint('bot')}/sendMessage"`, 'telegram', 'bot-api-url')
        .push('requests.post(URL, json={"chat_id": CHAT, "text": msg}, timeout=5)')
        .build(`alerts/telegram_${i}.py`),
      new Lines()
        .push('#!/bin/sh', 'set -e')
        .mark(`git clone https://${mint('ghp')}@github.com/acme/private-tools.git /opt/tools`, 'github', 'clone-url')
        .build(`provision/clone-${i}.sh`),
      new Lines()
        .push('registry=https://npm.corp.internal/')
        .mark(`_auth=${B64(`ci:${password(r)}`)}`, 'npm', 'npmrc-legacy-auth')
        .push('email=ci@corp.internal', 'always-auth=true')
        .build(`legacy/pkg-${i}/.npmrc`),
    );
  }
  return out;
}

/** Kubernetes Secrets as clusters hold them: TLS keys, image pull secrets, `kubectl get -o json` output. */
export function k8sFiles(r: Prng, n: number): Built[] {
  const out: Built[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      new Lines()
        .push('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: ingress-tls', 'type: kubernetes.io/tls', 'data:')
        .push(`  tls.crt: ${B64(`-----BEGIN CERTIFICATE-----\n${r.str(B64STD, 64)}\n-----END CERTIFICATE-----\n`)}`)
        .mark(
          `  tls.key: ${B64(pemBlock(r, r.pick(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY'])) + '\n')}`,
          'private-key',
          'k8s-tls',
        )
        .build(`deploy/tls/ingress-${i}.yaml`),
    );
    const auths = JSON.stringify({
      auths: { 'ghcr.io': { username: 'ci', password: password(r), auth: B64(`ci:${password(r)}`) } },
    });
    out.push(
      new Lines()
        .push(
          'apiVersion: v1',
          'kind: Secret',
          'metadata:',
          '  name: regcred',
          'type: kubernetes.io/dockerconfigjson',
          'data:',
        )
        .mark(`  .dockerconfigjson: ${B64(auths)}`, 'docker', 'k8s-pull-secret')
        .build(`deploy/pull/regcred-${i}.yaml`),
    );
    const tok = MINTERS[i % 6]!(r).value; // a GitHub token of some kind
    out.push(
      new Lines()
        .push('{', '    "apiVersion": "v1",', '    "data": {')
        .mark(`        "GITHUB_TOKEN": "${B64(tok)}"`, 'github', 'kubectl-json')
        .push(
          '    },',
          '    "kind": "Secret",',
          '    "metadata": { "name": "gh", "namespace": "ci" },',
          '    "type": "Opaque"',
          '}',
        )
        .build(`dumps/secret-${i}.json`),
    );
    // Decoy: a SealedSecret's values are ciphertext, safe to commit by design.
    out.push(
      new Lines()
        .push(
          'apiVersion: bitnami.com/v1alpha1',
          'kind: SealedSecret',
          'metadata:',
          '  name: app',
          'spec:',
          '  encryptedData:',
        )
        .push(`    API_TOKEN: Ag${r.str(B64STD, 340)}==`, `    DB_PASSWORD: Ag${r.str(B64STD, 340)}==`)
        .build(`deploy/sealed/app-${i}.yaml`),
    );
  }
  return out;
}
