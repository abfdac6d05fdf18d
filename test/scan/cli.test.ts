import { readFileSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/core/context.js';
import { run } from '../../src/cli/main.js';
import { gitIn, isolateGit, mint, newRepo, write } from './support/repo.js';

beforeAll(async () => {
  await isolateGit();
});

function capture() {
  const s = new PassThrough();
  let text = '';
  s.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return { stream: s, text: () => text };
}

async function cli(cwd: string, args: string[], stdin = '', opts: { ttyStderr?: boolean } = {}) {
  const out = capture();
  const err = capture();
  const ctx: CommandContext = {
    cwd,
    env: process.env,
    stdin: Readable.from([stdin]),
    stdout: out.stream,
    stderr: Object.assign(err.stream, { isTTY: opts.ttyStderr ?? false }),
    interactive: false,
    version: '0.0.0-test',
  };
  const code = await run(['scan', ...args], ctx);
  return { code, stdout: out.text(), stderr: err.text() };
}

async function repoWithSecrets() {
  const repo = await newRepo();
  const gh = mint('github-pat', 41);
  const generic = mint('generic-secret', 42);
  await write(repo, 'src/config.js', `const a = 1;\nconst token = "${gh}";\n`);
  await write(repo, 'settings.env', `${generic}\n`);
  return { repo, gh, generic };
}

describe('secure-repo scan (CLI)', () => {
  it('text output names file:line, rule and a redacted value; exit 1 on blocking findings', async () => {
    const { repo, gh } = await repoWithSecrets();
    const r = await cli(path.join(repo, 'src'), ['--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('config.js:2:16  critical  github-pat');
    expect(r.stdout).toContain('Rotate it first');
    expect(r.stdout).not.toContain(gh);
    expect(r.stdout).toMatch(/scanned \d+ files?/);
  });

  it('the generic rule warns (exit 0) unless genericBlocks is set', async () => {
    const repo = await newRepo();
    await write(repo, 'settings.env', `${mint('generic-secret', 43)}\n`);
    const warn = await cli(repo, ['--format', 'json']);
    expect(warn.code).toBe(0);
    expect(JSON.parse(warn.stdout).findings[0].severity).toBe('medium');
    await write(repo, '.secure-repo.yml', 'version: 1\nscan:\n  genericBlocks: true\n');
    const block = await cli(repo, ['--format', 'json']);
    expect(block.code).toBe(1);
  });

  it('JSON follows the contract and never contains a secret', async () => {
    const { repo, gh, generic } = await repoWithSecrets();
    const r = await cli(repo, ['--format', 'json']);
    const body = JSON.parse(r.stdout);
    expect(body.version).toBe(1);
    const f = body.findings.find((x: { rule: string }) => x.rule === 'github-pat');
    expect(f).toMatchObject({
      kind: 'secret',
      severity: 'critical',
      file: 'src/config.js',
      line: 2,
      column: 16,
      commit: null,
    });
    expect(f.secret).toMatch(/^ghp_\w{4}\*{4}$/);
    expect(Object.keys(body.stats)).toEqual(expect.arrayContaining(['files', 'bytes', 'commits', 'ms']));
    expect(r.stdout).not.toContain(gh);
    expect(r.stdout).not.toContain(
      generic
        .split(/[=:]\s*["']?/)
        .pop()!
        .replace(/["',]/g, ''),
    );
  });

  it('SARIF validates against the SARIF 2.1.0 schema and has what code scanning needs', async () => {
    const { repo, gh } = await repoWithSecrets();
    const r = await cli(repo, ['--format', 'sarif', '--output', 'out.sarif']);
    expect(r.code).toBe(1);
    const text = readFileSync(path.join(repo, 'out.sarif'), 'utf8');
    expect(text).not.toContain(gh);
    const log = JSON.parse(text);
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(
      readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    );
    // The published schema is draft-04; ajv 8 reads it once the draft-04 `id` keyword is renamed.
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null };
    const Ajv = (require('ajv') as { default: new (o: object) => { compile(s: object): Validator } }).default;
    const addFormats = (require('ajv-formats') as { default: (ajv: object) => void }).default;
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const result = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'github-pat');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('src/config.js');
    expect(result.partialFingerprints['secureRepo/v1']).toMatch(/^[0-9a-f]{40}$/);
    const rule = log.runs[0].tool.driver.rules[result.ruleIndex];
    expect(rule.id).toBe('github-pat');
    expect(Number(rule.properties['security-severity'])).toBeGreaterThan(9);
  });

  it('a baseline written once hides those findings after the lines move, but not a new secret', async () => {
    const { repo, gh } = await repoWithSecrets();
    const w = await cli(repo, ['--write-baseline', '.secure-repo-baseline.json']);
    expect(w.code).toBe(0);
    const baseline = readFileSync(path.join(repo, '.secure-repo-baseline.json'), 'utf8');
    expect(baseline).not.toContain(gh);
    await write(repo, 'src/config.js', `// header\n\n\nconst a = 1;\nconst token = "${gh}";\n`);
    const clean = await cli(repo, ['--baseline', '.secure-repo-baseline.json', '--format', 'json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout).findings).toEqual([]);
    await write(repo, 'src/new.js', `x = "${mint('github-pat', 44)}"\n`);
    const fresh = await cli(repo, ['--baseline', '.secure-repo-baseline.json', '--format', 'json']);
    expect(fresh.code).toBe(1);
    expect(JSON.parse(fresh.stdout).findings.map((f: { file: string }) => f.file)).toEqual(['src/new.js']);
  });

  it('--pre-push reads git stdin; --staged and --history work through the CLI', async () => {
    const { repo } = await repoWithSecrets();
    gitIn(repo, 'add', '.');
    const staged = await cli(repo, ['--staged', '--format', 'json']);
    expect(staged.code).toBe(1);
    gitIn(repo, 'commit', '-qm', 'x');
    const head = gitIn(repo, 'rev-parse', 'HEAD');
    const push = await cli(
      repo,
      ['--pre-push', '--remote', 'origin', '--format', 'json'],
      `refs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`,
    );
    expect(push.code).toBe(1);
    expect(JSON.parse(push.stdout).findings[0].commit).toBe(head);
    const hist = await cli(repo, ['--history', '--quiet', '--format', 'json']);
    expect(JSON.parse(hist.stdout).stats.commits).toBe(1);
  });

  it('usage and runtime errors exit 2 with one paragraph', async () => {
    const { repo } = await repoWithSecrets();
    const bad = await cli(repo, ['--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^secure-repo: .*--help/);
    expect((await cli(repo, ['--format', 'xml'])).code).toBe(2);
    expect((await cli(repo, ['--staged', '--history'])).code).toBe(2);
    const range = await cli(repo, ['--range', 'nope..HEAD']);
    expect(range.code).toBe(2);
    expect(range.stderr).not.toMatch(/\n\s+at /);
    expect((await cli(repo, ['--baseline', 'missing.json'])).code).toBe(2);
    const typo = await cli(repo, ['no-such-dir']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('no-such-dir: no such file or directory');
    await write(repo, '.secure-repo.yml', 'scan:\n  failOn: [oops\n');
    const cfg = await cli(repo, []);
    expect(cfg.code).toBe(2);
    expect(cfg.stderr).toContain('.secure-repo.yml');
  });

  it('custom rules and disabled rules from the config apply', async () => {
    const repo = await newRepo();
    await write(repo, 'a.txt', `internal ACME-${'Q7'.repeat(10)}\n${mint('slack-webhook-url', 45)}\n`);
    await write(
      repo,
      '.secure-repo.yml',
      [
        'version: 1',
        'scan:',
        '  disableRules: [slack-webhook-url]',
        '  rules:',
        '    - id: acme-key',
        '      regex: "ACME-[A-Z0-9]{20}"',
        '      keywords: [acme-]',
        '      severity: critical',
      ].join('\n'),
    );
    const r = await cli(repo, ['--format', 'json']);
    expect(JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule)).toEqual(['acme-key']);
    await fsp.rm(path.join(repo, '.secure-repo.yml'));
  });

  it('the all-clear line names only the checks that ran', async () => {
    const repo = await newRepo();
    await write(repo, 'app.js', 'const a = 1;\n');
    const both = await cli(repo, ['--no-color']);
    expect(both.code).toBe(0);
    expect(both.stdout).toContain('No secrets or SAST findings.');
    const secrets = await cli(repo, ['--no-color', '--secrets-only']);
    expect(secrets.stdout).toContain('No secrets found.');
    expect(secrets.stdout).not.toContain('SAST');
    const sast = await cli(repo, ['--no-color', '--sast-only']);
    expect(sast.stdout).toContain('No SAST findings.');
    expect(sast.stdout).not.toMatch(/secret/i);
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-qm', 'x');
    // History looks for secrets only, whatever the flags.
    const hist = await cli(repo, ['--no-color', '--history']);
    expect(hist.stdout).toContain('No secrets found.');
    expect(hist.stdout).toMatch(/scanned 1 file change, .* 1 commit/);
    const histSast = await cli(repo, ['--history', '--sast-only']);
    expect(histSast.code).toBe(2);
    expect(histSast.stderr).toContain('--history looks for secrets only');
    await write(repo, '.secure-repo.yml', 'version: 1\nscan:\n  sast:\n    enabled: false\n');
    const off = await cli(repo, ['--sast-only']);
    expect(off.code).toBe(2);
    expect(off.stderr).toContain('scan.sast.enabled: false');
    const offDefault = await cli(repo, ['--no-color']);
    expect(offDefault.stdout).toContain('No secrets found.');
  });

  it('--history draws a progress bar on a terminal, and none when stderr is a pipe or the output is JSON', async () => {
    const repo = await newRepo();
    for (let i = 0; i < 3; i++) {
      await write(repo, `f${i}.txt`, `${i}\n`);
      gitIn(repo, 'add', '.');
      gitIn(repo, 'commit', '-qm', `c${i}`);
    }
    const tty = await cli(repo, ['--history', '--no-color'], '', { ttyStderr: true });
    expect(tty.code).toBe(0);
    expect(tty.stderr).toMatch(/\r\[#{30}\] 3\/3 commits\n$/);
    const piped = await cli(repo, ['--history', '--no-color']);
    expect(piped.stderr).toBe('');
    const json = await cli(repo, ['--history', '--format', 'json'], '', { ttyStderr: true });
    expect(json.stderr).toBe('');
  });

  it('a full scan notes allow entries that match nothing, without printing their values; a partial scan does not', async () => {
    const repo = await newRepo();
    const live = mint('stripe-secret-key', 46);
    const gone = mint('stripe-secret-key', 47);
    await write(repo, 'src/pay.js', `const k = "${live}";\n`);
    await write(repo, 'fixtures/a.txt', 'nothing here\n');
    await write(
      repo,
      '.secure-repo.yml',
      [
        'version: 1',
        'scan:',
        '  allowPaths: ["fixtures/**", "old-fixtures/**"]',
        '  allowValues:',
        `    - value: "${live}"`,
        '      reason: test key',
        `    - value: "${gone}"`,
        '      rule: stripe-secret-key',
        `    - value: "${live}"`,
        '      expires: "2001-01-01"',
      ].join('\n'),
    );
    const r = await cli(repo, ['--no-color']);
    expect(r.code).toBe(0);
    const notes = r.stderr.trim().split('\n');
    expect(notes).toEqual([
      'secure-repo: note: scan.allowPaths "old-fixtures/**" matches no file; remove it if those files are gone.',
      'secure-repo: note: scan.allowValues[1] (rule stripe-secret-key) matches nothing in this scan; remove it if the value is gone.',
      'secure-repo: note: scan.allowValues[2] expired on 2001-01-01; it no longer hides anything, so remove it or extend it.',
    ]);
    expect(r.stderr).not.toContain(gone);
    expect(r.stderr).not.toContain(live);
    // Scanning one folder cannot tell whether an entry is needed elsewhere.
    const partial = await cli(repo, ['src']);
    expect(partial.stderr).toBe('');
    const quiet = await cli(repo, ['--quiet']);
    expect(quiet.stderr).toBe('');
  });
});
