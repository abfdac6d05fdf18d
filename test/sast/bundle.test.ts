import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../src/scan/sast/engine.js';
import { BUNDLE_FILE, buildRuleBundle, bundledRulesDir, isPrecompiled, loadRules } from '../../src/scan/sast/rules.js';

const dir = bundledRulesDir();

async function ruleFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const lang of await fsp.readdir(dir, { withFileTypes: true })) {
    if (!lang.isDirectory()) continue;
    for (const f of await fsp.readdir(path.join(dir, lang.name)))
      if (f.endsWith('.yml') && f !== '_utils.yml') out.push(path.join(dir, lang.name, f));
  }
  return out.sort();
}

describe('SAST rule files', () => {
  it('every rule file validates against schema/sast-rule.schema.json', async () => {
    const schema = JSON.parse(
      await fsp.readFile(path.join(dir, '..', '..', 'schema', 'sast-rule.schema.json'), 'utf8'),
    );
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const files = await ruleFiles();
    expect(files.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const f of files) {
      const doc = parse(await fsp.readFile(f, 'utf8'));
      if (!validate(doc)) problems.push(`${path.relative(dir, f)}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
      // rule ids carry their language, so a disableRules prefix like `py-*` means what it says
      const folder = path.basename(path.dirname(f));
      const prefix = {
        javascript: /^jsx?-/,
        python: /^py-/,
        go: /^go-/,
        java: /^java-/,
        ruby: /^rb-/,
        php: /^php-/,
        html: /^tpl-/,
      }[folder];
      if (!prefix?.test(doc.id)) problems.push(`${doc.id}: id must start with the ${folder} prefix`);
      // every rule says where its finding is reported (the sink call, the assignment, the template line)
      if (typeof doc.metadata?.lands !== 'string' || doc.metadata.lands.length < 8)
        problems.push(`${doc.id}: metadata.lands must say where the match lands`);
    }
    expect(problems).toEqual([]);
  });

  it('the schema rejects what it should (unknown keys, bad severity, missing tests)', async () => {
    const schema = JSON.parse(
      await fsp.readFile(path.join(dir, '..', '..', 'schema', 'sast-rule.schema.json'), 'utf8'),
    );
    const validate = new Ajv().compile(schema);
    const good = {
      id: 'js-x-y',
      language: 'JavaScript',
      severity: 'high',
      message: 'Something bad.',
      note: 'Do it right.',
      rule: { pattern: 'x' },
      tests: { valid: ['a'], invalid: ['x'] },
    };
    expect(validate(good)).toBe(true);
    expect(validate({ ...good, severity: 'error' })).toBe(false);
    expect(validate({ ...good, extra: 1 })).toBe(false);
    expect(validate({ ...good, tests: undefined })).toBe(false);
    expect(validate({ ...good, rule: { patern: 'x' } })).toBe(false);
  });

  // `npm run build` rewrites the bundle, so after a build this compares it with itself; what makes a stale committed
  // bundle fail is .ci/run, which builds and then fails when anything under rules/ differs from the commit.
  it(`${BUNDLE_FILE} is up to date with the YAML (regenerate: npm run build && node scripts/build-sast-rules.mjs)`, async () => {
    const committed = await fsp.readFile(path.join(dir, BUNDLE_FILE), 'utf8');
    expect(JSON.parse(committed)).toEqual(JSON.parse(await buildRuleBundle(dir)));
    const rules = await loadRules(dir);
    expect(rules.every(isPrecompiled)).toBe(true);
  });

  it('the README lists every SAST rule with its severity', async () => {
    const doc = await fsp.readFile(path.join(dir, '..', '..', 'README.md'), 'utf8');
    const missing = (await loadRules(dir)).filter(
      (r) =>
        !doc.includes(`| \`${r.id}\` |`) || !new RegExp(`\\| \`${r.id}\` \\| [^|]+ \\| ${r.severity} \\|`).test(doc),
    );
    expect(missing.map((r) => `${r.id} (${r.severity})`)).toEqual([]);
  });

  it('a stale bundle is ignored: the YAML wins', async () => {
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'sast-rules-'));
    try {
      await fsp.cp(dir, tmp, { recursive: true });
      const file = path.join(tmp, 'javascript', 'js-eval-dynamic.yml');
      await fsp.writeFile(file, (await fsp.readFile(file, 'utf8')).replace(/^severity: .*$/m, 'severity: low'));
      const rules = await loadRules(tmp);
      const rule = rules.find((r) => r.id === 'js-eval-dynamic')!;
      expect(rule.severity).toBe('low');
      expect(isPrecompiled(rule)).toBe(false);
      expect(rule.source).toBe(file);
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  });

  it('a rule ast-grep cannot compile is an exit-2 error that names the file', async () => {
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'sast-rules-'));
    try {
      await fsp.mkdir(path.join(tmp, 'python'));
      const rule = 'id: py-bad\nlanguage: Python\nseverity: low\nmessage: m\nnote: n\nrule: { kind: no_such_kind }\n';
      await fsp.writeFile(path.join(tmp, 'python', 'py-bad.yml'), rule);
      const rules = await loadRules(tmp);
      expect(() => compileRules(rules)).toThrow(
        expect.objectContaining({
          name: 'CliError',
          exitCode: 2,
          message: expect.stringMatching(/py-bad\.yml: SAST rule "py-bad" does not compile for python/),
        }),
      );
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  });

  it('a malformed rule is an exit-2 error that names the file', async () => {
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'sast-rules-'));
    try {
      await fsp.mkdir(path.join(tmp, 'javascript'));
      await fsp.writeFile(
        path.join(tmp, 'javascript', 'js-bad.yml'),
        'id: js-bad\nlanguage: JavaScript\nseverity: severe\nmessage: m\nnote: n\nrule: { pattern: x }\n',
      );
      await expect(loadRules(tmp)).rejects.toMatchObject({
        name: 'CliError',
        exitCode: 2,
        message: expect.stringContaining('js-bad.yml'),
      });
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  });
});
