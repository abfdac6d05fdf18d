import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { runScan, type ScanResult } from '../../src/scan/run.js';
import { SecretEngine } from '../../src/scan/secrets/engine.js';
import { buildCorpus, sampleVendorFiles, type IndependentCorpus } from './support/independent/corpus.js';
import { familyOf } from './support/independent/families.js';
import { MINTERS } from './support/independent/formats.js';
import { Prng } from './support/independent/prng.js';

/**
 * An independent measurement of the secret scanner: credentials minted from each provider's published format by
 * code that shares nothing with the rules, planted in realistic files, plus decoys and real files from
 * node_modules. A finding is a true positive when file, line and provider family match a planted credential.
 */
const SEED = 0x5eed_2026;
const VENDOR_FILES = 3000;

/**
 * node_modules findings reviewed by hand: real credentials shipped in packages (test fixtures holding real key
 * material) count as true positives. Keyed by `file:line:family`.
 */
const REVIEWED_VENDOR_TRUE_POSITIVES = new Map<string, string>([]);

let dir: string;
let corpus: IndependentCorpus;
let result: ScanResult;
let vendorCount = 0;
let vendorBytes = 0;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sr-independent-'));
  corpus = buildCorpus(SEED);
  const vendor = await sampleVendorFiles(path.resolve(__dirname, '../..'), SEED, VENDOR_FILES);
  vendorCount = vendor.size;
  for (const text of vendor.values()) vendorBytes += Buffer.byteLength(text);
  for (const [name, text] of [...corpus.files, ...vendor]) {
    await fsp.mkdir(path.join(dir, path.dirname(name)), { recursive: true });
    await fsp.writeFile(path.join(dir, name), text);
  }
  result = await runScan({ root: dir, cwd: dir, source: 'files', secrets: true, sast: false, config: defaultConfig() });
}, 30_000);

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const redact = (s: string | undefined) => (s ? s : '?');

describe('independent labeled corpus', () => {
  it('meets recall >= 97% and precision >= 98% against provider-published formats', () => {
    const labelKeys = new Map(corpus.labels.map((l) => [`${l.file}:${l.line}:${l.family}`, l]));
    for (const [k, why] of REVIEWED_VENDOR_TRUE_POSITIVES)
      labelKeys.set(k, { file: k, line: 0, family: '', kind: why, host: 'vendor' });
    const findingKeys = new Map<string, (typeof result.findings)[number]>();
    for (const f of result.findings) findingKeys.set(`${f.file}:${f.line}:${familyOf(f.rule)}`, f);

    const tp = [...findingKeys.keys()].filter((k) => labelKeys.has(k));
    const fp = [...findingKeys.entries()].filter(([k]) => !labelKeys.has(k));
    const fn = [...labelKeys.entries()].filter(([k]) => !findingKeys.has(k));
    const recall = (labelKeys.size - fn.length) / labelKeys.size;
    const precision = tp.length / (tp.length + fp.length);
    const summary =
      `instances ${labelKeys.size} (${new Set(corpus.labels.map((l) => l.family)).size} families), decoys ${corpus.decoys}, ` +
      `vendor files ${vendorCount} (${(vendorBytes / 1048576).toFixed(1)} MB), TP ${tp.length}, FP ${fp.length}, FN ${fn.length}, ` +
      `recall ${(recall * 100).toFixed(2)}%, precision ${(precision * 100).toFixed(2)}%`;
    console.log(summary);
    if (fn.length) console.log('missed:\n' + fn.map(([k, l]) => `  ${k} (${l.kind} in ${l.host})`).join('\n'));
    if (fp.length)
      console.log('false positives:\n' + fp.map(([k, f]) => `  ${k} ${f.rule} ${redact(f.secret)}`).join('\n'));
    expect(recall, summary).toBeGreaterThanOrEqual(0.97);
    expect(precision, summary).toBeGreaterThanOrEqual(0.98);
  });

  it('finds every family at least once and never prints a planted secret whole', () => {
    const found = new Set(result.findings.map((f) => familyOf(f.rule)));
    const missingFamilies = [...new Set(corpus.labels.map((l) => l.family))].filter((f) => !found.has(f));
    expect(missingFamilies).toEqual([]);
    for (const f of result.findings) {
      expect(f.secret).toContain('****');
      expect(f.secret!.length).toBeLessThan(f.match!.length);
    }
  });
});

describe('fixes this corpus led to', () => {
  const engine = new SecretEngine(defaultConfig().scan);
  const r = new Prng(99);
  const ghp = () => MINTERS[0]!(r).value;
  const detect = (text: string) => engine.detect({ path: 'k8s/secret.yaml', text, commit: null });
  const manifest = (kind: string, value: string, comment = '') =>
    `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: gh\ndata:\n  GITHUB_TOKEN: ${Buffer.from(value).toString('base64')}${comment}\n`;

  it("decodes a Secret manifest's data values and reports them at the encoded line", () => {
    const token = ghp();
    const [f, ...rest] = detect(manifest('Secret', token));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'github-pat', line: 6, column: 17, match: token });
    expect(f!.secret).toBe(token.slice(0, 8) + '****');
  });

  it('honours inline allows there, and does not decode other kinds', () => {
    expect(detect(manifest('Secret', ghp(), '  # secure-repo:allow'))).toEqual([]);
    expect(detect(manifest('ConfigMap', ghp())).map((f) => f.rule)).not.toContain('github-pat');
    expect(detect(manifest('SealedSecret', ghp())).map((f) => f.rule)).not.toContain('github-pat');
  });

  it('decodes kubectl JSON output the same way', () => {
    const token = ghp();
    const json = JSON.stringify(
      { apiVersion: 'v1', data: { token: Buffer.from(token).toString('base64') }, kind: 'Secret' },
      null,
      2,
    );
    expect(engine.detect({ path: 's.json', text: json, commit: null }).map((f) => [f.rule, f.line])).toEqual([
      ['github-pat', 4],
    ]);
  });
});
