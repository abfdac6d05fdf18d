import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('the published package', () => {
  it('has two bins running one program, ESM, Node >= 20, and no install scripts of its own', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.bin).toEqual({ 'create-secure-repo': 'bin/secure-repo.js', 'secure-repo': 'bin/secure-repo.js' });
    expect(pkg.engines.node).toMatch(/^>=20/);
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish'])
      expect(pkg.scripts?.[s], s).toBeUndefined();
  });

  it('ships only what runs: dist, bin, templates, hooks, schema, rules, data', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
    });
    const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
    const tops = new Set(files.map((f) => f.split('/')[0]));
    for (const t of tops)
      expect([
        'bin',
        'dist',
        'templates',
        'hooks',
        'schema',
        'rules',
        'data',
        'package.json',
        'README.md',
        'LICENSE',
      ]).toContain(t);
    expect(files).toContain('dist/cli/main.js');
    // the bundled hook entry and the stored prefilter tables are build outputs the hooks run from
    expect(files).toContain('dist/hook/hook.cjs');
    expect(files).toContain('bin/hook.cjs');
    expect(files).toContain('dist/scan/secrets/prefilter.bin');
    expect(files).toContain('schema/secure-repo.schema.json');
    expect(
      files.some((f) => f.startsWith('src/') || f.startsWith('test/') || (f.endsWith('.ts') && !f.endsWith('.d.ts'))),
    ).toBe(false);
  });

  it('--version and --help work from the bin', () => {
    const bin = path.join(root, 'bin/secure-repo.js');
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(pkg.version);
    const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    for (const c of ['init', 'scan', 'hook', 'protect', 'audit', 'doctor', 'uninstall'])
      expect(help).toContain(`  ${c}`);
    for (const c of ['init', 'scan', 'hook', 'protect', 'audit', 'doctor', 'uninstall']) {
      const h = execFileSync(process.execPath, [bin, c, '--help'], { encoding: 'utf8' });
      expect(h, c).toMatch(/Usage:/);
    }
  });
});
