import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(root, 'src');

/**
 * The layers, bottom first. A folder may import from folders in lower layers only; the one sideways edge allowed
 * is listed below with its reason. Everything else is an upward (or sideways) import, which this test refuses.
 */
const LAYERS = [
  ['core'],
  ['config'],
  ['detect'],
  ['changes'],
  ['scan', 'hooks', 'templates', 'github'],
  ['init', 'audit'],
  ['cli'],
];
const SIDEWAYS = new Set(['hooks→scan']); // the hooks run the scanner

const rank = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a file, static and dynamic (`import('./x.js')`), as absolute .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)'(\.{1,2}\/[^']+)'/gm)].map((m) => m[1]!);
  return specs.map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts'));
}

const folderOf = (file: string) => path.relative(src, file).split(path.sep)[0]!;
const files = sourceFiles(src);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('the folders are layers and every import points down', () => {
  it('reads the whole source tree (a scan of nothing would pass)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
  });

  it('every folder under src/ has a layer', () => {
    const folders = new Set(files.map(folderOf).filter((f) => !f.endsWith('.ts')));
    expect([...folders].filter((f) => !rank.has(f))).toEqual([]);
  });

  it('no import points up or sideways (except the listed ones)', () => {
    const bad: string[] = [];
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      for (const t of targets) {
        const to = folderOf(t);
        if (from === to) continue;
        const ok = rank.get(to)! < rank.get(from)! || SIDEWAYS.has(`${from}→${to}`);
        if (!ok) bad.push(`${path.relative(root, file)} → ${path.relative(root, t)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no cycle between files', () => {
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const cycles: string[] = [];
    const visit = (f: string) => {
      state.set(f, 1);
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 1)
          cycles.push([...stack.slice(stack.indexOf(t)), t].map((x) => path.relative(src, x)).join(' → '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 2);
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it("the README's import graph is the code's", () => {
    const actual = new Map<string, Set<string>>();
    for (const [file, targets] of graph) {
      const from = folderOf(file);
      if (!actual.has(from)) actual.set(from, new Set());
      for (const t of targets) if (folderOf(t) !== from) actual.get(from)!.add(folderOf(t));
    }
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const block = /<!-- import-graph -->\n```\n([\s\S]*?)```/.exec(readme);
    expect(block, 'README.md has an import-graph block').not.toBeNull();
    const documented = new Map(
      block![1]!
        .trim()
        .split('\n')
        .map((line) => {
          const [from, to] = line.split('→').map((s) => s.trim());
          return [from!, new Set(to === '(nothing)' ? [] : to!.split(/,\s*/))] as const;
        }),
    );
    const asText = (m: Map<string, Set<string>>) =>
      [...m].map(([k, v]) => `${k} → ${[...v].sort().join(', ') || '(nothing)'}`).sort();
    expect(asText(documented)).toEqual(asText(actual));
  });
});
