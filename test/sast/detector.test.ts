import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import type { Config } from '../../src/config/types.js';
import { createSastDetector } from '../../src/scan/sast/index.js';
import type { Detector, Finding, Fragment } from '../../src/scan/types.js';
import { addedLinesFromDiff, expectedMarkers, FIXTURES, fragmentsOf, tempRepo } from './helpers.js';

async function scan(detector: Detector, fragments: Fragment[]): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const f of fragments) if (detector.wants(f.path)) out.push(...(await detector.detect(f)));
  return out;
}

const key = (f: Finding) => `${f.file}:${f.line} ${f.rule}`;

function withSast(change: (c: Config) => void): Config {
  const c = defaultConfig();
  change(c);
  return c;
}

describe('SAST detector', () => {
  it('reports exactly the marked lines of the vulnerable sample app, in every language', async () => {
    const fragments = await fragmentsOf(path.join(FIXTURES, 'vulnerable'));
    const findings = await scan(await createSastDetector(defaultConfig()), fragments);
    expect(findings.map(key).sort()).toEqual(expectedMarkers(fragments));
    // Every language the sample covers produced findings (a parser that failed to load would silently drop one).
    const exts = new Set(findings.map((f) => path.extname(f.file)));
    expect([...exts].sort()).toEqual(['.go', '.java', '.js', '.jsx', '.php', '.py', '.rb', '.tsx']);
  });

  it('fills every field the pipeline and reports need', async () => {
    const text = "const cp = require('child_process');\n\n  cp.exec(`ls ${dir}`);\n";
    const [f] = await (await createSastDetector(defaultConfig())).detect({ path: 'src/a.js', text, commit: 'abc' });
    expect(f).toMatchObject({
      kind: 'sast',
      rule: 'js-command-injection',
      severity: 'high',
      file: 'src/a.js',
      line: 3,
      column: 3,
      endLine: 3,
      // SARIF convention: the end column is the one after the last character.
      endColumn: 23,
      commit: 'abc',
      lineText: '  cp.exec(`ls ${dir}`);',
      match: 'cp.exec(`ls ${dir}`)',
    });
    expect(f!.message.length).toBeGreaterThan(20);
    expect(f!.remediation).toMatch(/execFile/);
  });

  it('finds nothing in the safe version of the sample app', async () => {
    const findings = await scan(
      await createSastDetector(defaultConfig()),
      await fragmentsOf(path.join(FIXTURES, 'clean')),
    );
    expect(findings.map((f) => `${key(f)}: ${f.match}`)).toEqual([]);
  });

  it("finds nothing in this project's own src/", async () => {
    const fragments = await fragmentsOf(path.join(import.meta.dirname, '..', '..', 'src'));
    const detector = await createSastDetector(defaultConfig());
    expect(fragments.filter((f) => detector.wants(f.path)).length).toBeGreaterThan(10);
    const findings = await scan(detector, fragments);
    expect(findings.map((f) => `${key(f)}: ${f.match}`)).toEqual([]);
  });

  it('fingerprints survive line shifts and change with the code', async () => {
    const detector = await createSastDetector(defaultConfig());
    const line = 'db.query(`SELECT * FROM t WHERE id = ${id}`)';
    const [a] = await detector.detect({ path: 'x.js', text: `${line}\n`, commit: null });
    const [b] = await detector.detect({
      path: 'x.js',
      text: `// moved\n\nfunction f() {\n    ${line}\n}\n`,
      commit: null,
    });
    const [c] = await detector.detect({ path: 'x.js', text: line.replace('id}', 'uid}'), commit: null });
    const [d] = await detector.detect({ path: 'y.js', text: line, commit: null });
    expect(a!.line).not.toBe(b!.line);
    expect(a!.fingerprint).toBe(b!.fingerprint);
    expect(c!.fingerprint).not.toBe(a!.fingerprint);
    expect(d!.fingerprint).not.toBe(a!.fingerprint);
  });

  it('reports only findings on added lines of a real git change', async () => {
    const repo = await tempRepo();
    try {
      const file = path.join(repo.dir, 'app.js');
      const old = "const { exec } = require('child_process');\nexec(`rm -rf ${oldDir}`);\n";
      await fsp.writeFile(file, old);
      repo.git('add', '.');
      repo.git('commit', '-q', '-m', 'old code');
      const next = `${old}\nfunction f(req, res) {\n  res.redirect(req.query.next);\n}\n`;
      await fsp.writeFile(file, next);
      repo.git('add', '.');
      const added = addedLinesFromDiff(repo.git('diff', '--cached', '-U0', '--', 'app.js'));
      const staged = repo.git('show', ':app.js');
      const detector = await createSastDetector(defaultConfig());
      const all = await detector.detect({ path: 'app.js', text: staged, commit: null });
      const onlyNew = await detector.detect({ path: 'app.js', text: staged, commit: null, addedLines: added });
      expect(all.map((f) => `${f.line} ${f.rule}`)).toEqual(['2 js-command-injection', '5 js-open-redirect']);
      expect(onlyNew.map((f) => `${f.line} ${f.rule}`)).toEqual(['5 js-open-redirect']);
      expect(await detector.detect({ path: 'app.js', text: staged, commit: null, addedLines: new Set() })).toEqual([]);
    } finally {
      await repo.cleanup();
    }
  });

  it('a multi-line finding counts when any of its lines was added', async () => {
    const text = 'db.query(\n  `SELECT * FROM t WHERE id = ${id}`\n)\n';
    const detector = await createSastDetector(defaultConfig());
    expect(await detector.detect({ path: 'a.ts', text, commit: null, addedLines: new Set([2]) })).toHaveLength(1);
    expect(await detector.detect({ path: 'a.ts', text, commit: null, addedLines: new Set([4]) })).toHaveLength(0);
  });

  it('honours scan.sast.disableRules, scan.disableRules (ids and prefix*) and scan.sast.enabled', async () => {
    const fragments = await fragmentsOf(path.join(FIXTURES, 'vulnerable'));
    const rules = async (c: Config) => new Set((await scan(await createSastDetector(c), fragments)).map((f) => f.rule));
    const base = await rules(defaultConfig());
    expect(base.has('js-sql-injection')).toBe(true);

    const noSql = await rules(withSast((c) => (c.scan.sast.disableRules = ['js-sql-injection'])));
    expect([...base].filter((r) => !noSql.has(r))).toEqual(['js-sql-injection']);

    const noPy = await rules(withSast((c) => (c.scan.disableRules = ['py-*'])));
    expect([...noPy].some((r) => r.startsWith('py-'))).toBe(false);
    expect(noPy.size).toBe([...base].filter((r) => !r.startsWith('py-')).length);

    const off = await createSastDetector(withSast((c) => (c.scan.sast.enabled = false)));
    expect(off.wants('server.js')).toBe(false);
    expect(await scan(off, fragments)).toEqual([]);
  });

  it('honours secure-repo:allow on the line and secure-repo:allow-next-line above it', async () => {
    const d = await createSastDetector(defaultConfig());
    const line = 'eval(code)';
    expect(await d.detect({ path: 'a.js', text: `${line}\n`, commit: null })).toHaveLength(1);
    expect(
      await d.detect({ path: 'a.js', text: `${line} // secure-repo:allow trusted build step\n`, commit: null }),
    ).toEqual([]);
    expect(await d.detect({ path: 'a.js', text: `// secure-repo:allow-next-line\n${line}\n`, commit: null })).toEqual(
      [],
    );
    // the marker covers its own line only
    expect(await d.detect({ path: 'a.js', text: `// secure-repo:allow\n${line}\n`, commit: null })).toHaveLength(1);
    expect(await d.detect({ path: 'a.py', text: 'eval(code)  # secure-repo:allow\n', commit: null })).toEqual([]);
  });

  it('maps lines through Fragment.lineMap when the fragment is an excerpt', async () => {
    const d = await createSastDetector(defaultConfig());
    const [f] = await d.detect({ path: 'a.js', text: 'x = 1\neval(code)\n', commit: 'c1', lineMap: [40, 57] });
    expect(f).toMatchObject({ line: 57, endLine: 57, commit: 'c1' });
  });

  it('wants() picks files by extension and skips minified or declaration files', async () => {
    const d = await createSastDetector(defaultConfig());
    for (const p of ['a.js', 'b.mjs', 'c.cjs', 'd.jsx', 'e.ts', 'f.tsx', 'g.py', 'h.go', 'I.java', 'j.rb', 'k.php'])
      expect(d.wants(p), p).toBe(true);
    for (const p of ['a.min.js', 'types.d.ts', 'README.md', 'image.png', 'Makefile', '.js'])
      expect(d.wants(p), p).toBe(false);
    const minified = `var a=1;${'eval(x);'.repeat(2000)}\n`;
    expect(await d.detect({ path: 'bundle.js', text: minified, commit: null })).toEqual([]);
  });

  it('a file that does not parse yields no findings and no error', async () => {
    const d = await createSastDetector(defaultConfig());
    const text = 'function (( {\n eval(req.query.x)\n';
    expect(await d.detect({ path: 'broken.js', text, commit: null })).toEqual([]);
    // The same call in a file that parses is found: the empty result above is the parse, not a rule that never matches.
    const parsed = await d.detect({ path: 'fine.js', text: 'eval(req.query.x)\n', commit: null });
    expect(parsed.map((f) => f.rule)).toEqual(['js-eval-injection']);
  });
});
