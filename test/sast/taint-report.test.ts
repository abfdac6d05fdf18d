import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { formatSarif } from '../../src/scan/report/sarif.js';
import { blocking } from '../../src/scan/report/text.js';
import type { ScanResult } from '../../src/scan/run.js';
import { createSastDetector, isTestCode } from '../../src/scan/sast/index.js';

const require = createRequire(import.meta.url);

const HANDLER = [
  "const express = require('express');",
  "const { exec } = require('child_process');",
  'const app = express();',
  "app.get('/ping', (req, res) => {",
  '  const { host } = req.query;',
  "  const cmd = 'ping -c 1 ' + host;",
  '  exec(cmd, (err, out) => res.send(out));',
  '});',
  '',
].join('\n');

const PICKLE_ROUNDTRIP = 'import pickle\n\ndef test_roundtrip(blob):\n    assert pickle.loads(blob) == 1\n';

function result(findings: ScanResult['findings']): ScanResult {
  return {
    findings,
    stats: { files: 1, bytes: 1, commits: 0, ms: 1, skipped: { binary: 0, tooLarge: 0, symlink: 0, allowedPath: 0 } },
  };
}

describe('taint paths', () => {
  it('a value through destructuring and concatenation is reported at the sink with its path', async () => {
    const d = await createSastDetector(defaultConfig());
    const findings = await d.detect({ path: 'src/ping.js', text: HANDLER, commit: null });
    const f = findings.find((x) => x.rule === 'js-command-injection-input');
    expect(f?.line).toBe(7);
    expect(f?.flow?.map((s) => s.line)).toEqual([5, 6, 7]);
    expect(f?.flow?.[0]?.text).toContain('req.query');
    expect(f?.cwe).toBe('CWE-78');
  });

  it('the same code with the value made safe is not reported', async () => {
    const d = await createSastDetector(defaultConfig());
    const safe = HANDLER.replace('const { host } = req.query;', 'const host = Number(req.query.host);');
    const findings = await d.detect({ path: 'src/ping.js', text: safe, commit: null });
    expect(findings.filter((x) => x.rule === 'js-command-injection-input')).toEqual([]);
  });

  it('SARIF carries CWE and OWASP tags, the fix, and the path as a code flow', async () => {
    const d = await createSastDetector(defaultConfig());
    const findings = await d.detect({ path: 'src/ping.js', text: HANDLER, commit: null });
    const sarif = JSON.parse(formatSarif(result(findings), { version: '0.0.0' }));
    const schema = JSON.parse(
      readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    );
    // The published schema is draft-04; ajv 8 reads it once the draft-04 `id` keyword is renamed.
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    const validate = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, validateFormats: false }).compile(
      schema,
    );
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run = sarif.runs[0];
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'js-command-injection-input');
    expect(rule.properties.tags).toContain('external/cwe/cwe-78');
    expect(rule.properties.owasp).toBe('A03:2021 Injection');
    expect(rule.help.text.length).toBeGreaterThan(20);
    const res = run.results.find((r: { ruleId: string }) => r.ruleId === 'js-command-injection-input');
    const steps = res.codeFlows[0].threadFlows[0].locations.map(
      (l: { location: { physicalLocation: { region: { startLine: number } } } }) =>
        l.location.physicalLocation.region.startLine,
    );
    expect(steps).toEqual([5, 6, 7]);
  });
});

describe('test code', () => {
  it('recognises test, example and fixture paths, and not application code', () => {
    for (const p of [
      'tests/test_app.py',
      'pkg/server_test.go',
      'src/__tests__/a.ts',
      'a.spec.ts',
      'examples/auth/index.js',
      'conftest.py',
      'src/test/java/AppTest.java',
    ]) {
      expect(isTestCode(p), p).toBe(true);
    }
    for (const p of [
      'src/app.py',
      'server.go',
      'lib/router.js',
      'src/main/java/App.java',
      'contest.py',
      'latest/index.js',
    ]) {
      expect(isTestCode(p), p).toBe(false);
    }
  });

  it('findings there are low severity and never block; skip drops them; normal keeps them', async () => {
    const config = defaultConfig();
    const d = await createSastDetector(config);
    const inApp = await d.detect({ path: 'app/cache.py', text: PICKLE_ROUNDTRIP, commit: null });
    const inTest = await d.detect({ path: 'tests/test_cache.py', text: PICKLE_ROUNDTRIP, commit: null });
    expect(inApp.map((f) => f.rule)).toContain('py-pickle-loads');
    expect(inTest.map((f) => [f.rule, f.severity, f.testCode])).toEqual([['py-pickle-loads', 'low', true]]);
    config.scan.failOn = 'low';
    expect(blocking(result(inTest), config)).toEqual([]);
    expect(blocking(result(inApp), config).length).toBe(inApp.length);

    const skip = defaultConfig();
    skip.scan.sast.testFiles = 'skip';
    expect(
      await (
        await createSastDetector(skip)
      ).detect({ path: 'tests/test_cache.py', text: PICKLE_ROUNDTRIP, commit: null }),
    ).toEqual([]);
    const normal = defaultConfig();
    normal.scan.sast.testFiles = 'normal';
    const kept = await (
      await createSastDetector(normal)
    ).detect({ path: 'tests/test_cache.py', text: PICKLE_ROUNDTRIP, commit: null });
    expect(kept.map((f) => [f.severity, f.testCode])).toEqual([[inApp[0]!.severity, undefined]]);
  });
});
