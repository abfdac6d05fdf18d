import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { decoyLines, fakeFixtures, minifiedBundle } from './decoys.js';
import { MINTERS } from './formats.js';
import { HOSTS, K8S_DATA, type Host } from './hosts.js';
import { Prng } from './prng.js';
import {
  awsFiles,
  azureFiles,
  contextualFiles,
  encryptedPemFiles,
  gcpFiles,
  genericFiles,
  pemFiles,
  registryFiles,
  urlTokenFiles,
  usageFiles,
  k8sFiles,
  type Built,
} from './structured.js';

export interface Label {
  file: string;
  line: number;
  family: string;
  kind: string;
  host: string;
}

export interface IndependentCorpus {
  files: Map<string, string>;
  labels: Label[];
  decoys: number;
  vendorFiles: number;
}

/** Each single-value format goes into this many hosts (rotating through them, so every host sees every family). */
const PER_FORMAT = 8;

export function buildCorpus(seed: number): IndependentCorpus {
  const r = new Prng(seed);
  const files = new Map<string, string>();
  const labels: Label[] = [];
  const decoys = decoyLines(r);
  let decoyCount = 0;
  let fileNo = 0;

  const plant = (host: Host, name: string, value: string, family: string, kind: string) => {
    const p = host.plant(name, value, r);
    // Two decoys above the planted value, one below: labels stay exact because decoys never carry a secret.
    const form = host.decoy ?? ((line: string) => line);
    const d1 = form(decoys[(fileNo * 3) % decoys.length]!, 1);
    const d2 = form(decoys[(fileNo * 3 + 1) % decoys.length]!, 2);
    const d3 = form(decoys[(fileNo * 3 + 2) % decoys.length]!, 3);
    const lines = [...p.lines.slice(0, p.at), d1, d2, p.lines[p.at]!, d3, ...p.lines.slice(p.at + 1)];
    decoyCount += 3;
    const file = host.path(fileNo++);
    files.set(file, lines.join(host.crlf ? '\r\n' : '\n') + (host.crlf ? '\r\n' : '\n'));
    labels.push({ file, line: p.at + 3, family, kind, host: host.id });
  };

  MINTERS.forEach((mint, m) => {
    let placed = 0;
    for (let k = 0; placed < PER_FORMAT && k < HOSTS.length * 2; k++) {
      const host = HOSTS[(m * 5 + k) % HOSTS.length]!;
      const tok = mint(r);
      if (tok.value.includes('://') && !host.urlValues) continue;
      plant(host, r.pick(tok.names), tok.value, tok.family, tok.kind);
      placed++;
    }
    // And once base64-encoded in a k8s Secret's data.
    const tok = mint(r);
    plant(K8S_DATA, r.pick(tok.names), tok.value, tok.family, tok.kind);
  });

  const built: Built[] = [
    ...awsFiles(r, 16),
    ...gcpFiles(r, 6),
    ...pemFiles(r, 24),
    ...registryFiles(r, 8),
    ...contextualFiles(r, 8),
    ...azureFiles(r, 6),
    ...genericFiles(r, 6),
    ...urlTokenFiles(r, 8),
    ...encryptedPemFiles(r, 4),
    ...usageFiles(r, 4),
    ...k8sFiles(r, 4),
  ];
  for (const b of built) {
    files.set(b.path, b.text);
    for (const l of b.labels)
      labels.push({ file: b.path, line: l.line, family: l.family, kind: l.kind, host: 'structured' });
  }

  // Files of decoys only.
  files.set('docs/credentials-howto.md', ['# Credentials', '', '```', ...decoys, '```', ''].join('\n'));
  files.set('config/decoys.yaml', decoys.map((d, i) => `k${i}: ${JSON.stringify(d)}`).join('\n') + '\n');
  files.set('public/vendor.bundle.js', minifiedBundle(r) + '\n');
  files.set('test/fixtures/fake-auth.test.ts', ['describe("auth", () => {', ...fakeFixtures(r), '});', ''].join('\n'));
  decoyCount += decoys.length * 2 + 400 + 3;
  return { files, labels, decoys: decoyCount, vendorFiles: 0 };
}

const VENDOR_EXT = /\.(?:js|mjs|cjs|ts|json|md|yml|yaml)$/;

/**
 * Real source files from this repository's node_modules, chosen by a seeded shuffle of the sorted list, copied
 * under vendor/: code that is full of tokens, hashes and keys-as-identifiers and holds (almost) no credentials.
 */
export async function sampleVendorFiles(root: string, seed: number, count: number): Promise<Map<string, string>> {
  const all: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === '.bin' || e.name === '.cache' || e.name === '.vite') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full, depth + 1);
      else if (e.isFile() && VENDOR_EXT.test(e.name)) all.push(full);
    }
  };
  await walk(path.join(root, 'node_modules'), 0);
  all.sort();
  const r = new Prng(seed);
  const out = new Map<string, string>();
  for (const file of r.shuffle(all)) {
    if (out.size >= count) break;
    const stat = await fsp.stat(file);
    if (stat.size === 0 || stat.size > 256 * 1024) continue;
    const rel = path.relative(path.join(root, 'node_modules'), file).split(path.sep).join('/');
    out.set(`vendor/${rel}`, await fsp.readFile(file, 'utf8'));
  }
  return out;
}
