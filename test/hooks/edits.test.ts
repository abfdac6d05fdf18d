import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { hasHookLine, insertHookLine, stripHookLine } from '../../src/hooks/install/hook-file.js';
import {
  addPrepare,
  dependencyValue,
  editPackageJson,
  removePrepare,
  setDependency,
} from '../../src/hooks/install/package-json.js';
import { mergePreCommitConfig, unmergePreCommitConfig } from '../../src/hooks/install/pre-commit-framework.js';
import { mergeLefthookConfig, unmergeLefthookConfig } from '../../src/hooks/install/lefthook.js';
import { parsePushLines, pushInputFromEnv } from '../../src/hooks/run/pushed-commits.js';
import { parseSkip } from '../../src/hooks/run/skip.js';

describe('hook files', () => {
  it('puts our line after the shebang and husky v8 boilerplate, before the user commands, and strips it exactly', () => {
    const v8 = '#!/usr/bin/env sh\n. "$(dirname -- "$0")/_/husky.sh"\n\nnpx lint-staged\n';
    const withLine = insertHookLine(v8, 'pre-commit');
    const lines = withLine.split('\n');
    expect(lines[0]).toBe('#!/usr/bin/env sh');
    expect(lines[1]).toBe('. "$(dirname -- "$0")/_/husky.sh"');
    expect(lines[2]).toBe('sh "${0%/*}/secure-repo.sh" pre-commit "$@" || exit $? # secure-repo');
    expect(lines.slice(3).join('\n')).toBe('\nnpx lint-staged\n');
    expect(insertHookLine(withLine, 'pre-commit')).toBe(withLine);
    expect(stripHookLine(withLine)).toBe(v8);
  });

  it('keeps CRLF files CRLF', () => {
    const crlf = 'npm test\r\n';
    const out = insertHookLine(crlf, 'pre-push');
    expect(out).toMatch(/# secure-repo\r\nnpm test\r\n$/);
    expect(stripHookLine(out)).toBe(crlf);
  });

  it('recognises only our line', () => {
    expect(hasHookLine('npm test\n')).toBe(false);
    expect(hasHookLine('sh ./secure-repo.sh pre-commit # mine\n')).toBe(false);
  });
});

describe('package.json', () => {
  it('keeps indentation, key order and the missing final newline; sorts dependencies only when they were sorted', () => {
    const text = '{\n   "name": "x",\n   "devDependencies": {\n      "b": "1",\n      "a": "1"\n   }\n}';
    const out = editPackageJson(text, (pkg) => {
      pkg.devDependencies = setDependency(pkg.devDependencies, 'create-secure-repo', '^1.0.0');
    });
    expect(out).toBe(
      '{\n   "name": "x",\n   "devDependencies": {\n      "b": "1",\n      "a": "1",\n      "create-secure-repo": "^1.0.0"\n   }\n}',
    );
    expect(Object.keys(setDependency({ a: '1', c: '1' }, 'b', '1'))).toEqual(['a', 'b', 'c']);
  });

  it('maps --package-spec to a dependency value', () => {
    expect(dependencyValue('create-secure-repo@^0.3.0')).toBe('^0.3.0');
    expect(dependencyValue('/tmp/create-secure-repo-0.3.0.tgz')).toBe('file:/tmp/create-secure-repo-0.3.0.tgz');
    expect(dependencyValue('./pkg.tgz')).toBe('file:./pkg.tgz');
    expect(dependencyValue('file:../tool')).toBe('file:../tool');
  });

  it('adds and removes the prepare step without touching the user part', () => {
    const ours = 'node .husky/install.mjs';
    expect(addPrepare(undefined, ours)).toBe(ours);
    expect(addPrepare('npm run build', ours)).toBe(`npm run build && ${ours}`);
    expect(removePrepare(`npm run build && ${ours}`, ours)).toBe('npm run build');
    expect(removePrepare(ours, ours)).toBeNull();
  });
});

describe('YAML configs are edited as text', () => {
  it('pre-commit: an empty `repos: []` becomes our block and comes back on uninstall', () => {
    const text = 'repos: []\n';
    const merged = mergePreCommitConfig(text);
    expect((parseYaml(merged) as { repos: { repo: string }[] }).repos.map((r) => r.repo)).toEqual(['local']);
    expect(mergePreCommitConfig(merged)).toBe(merged);
    expect(unmergePreCommitConfig(merged)).toBe(text);
  });

  it('pre-commit: a file without a final newline and a block-style hook type list', () => {
    const text =
      'default_install_hook_types:\n  - pre-commit\nrepos:\n  - repo: local\n    hooks:\n      - id: a\n        name: a\n        entry: "true"\n        language: system';
    const merged = mergePreCommitConfig(text);
    const parsed = parseYaml(merged) as { default_install_hook_types: string[]; repos: unknown[] };
    expect(parsed.default_install_hook_types).toEqual(['pre-commit', 'pre-push']);
    expect(parsed.repos).toHaveLength(2);
    expect(unmergePreCommitConfig(merged)).toBe(`${text}\n`);
  });

  it('pre-commit: a padded flow list keeps its spacing', () => {
    const text = 'default_install_hook_types: [ pre-commit ]  # ours\nrepos:\n- repo: local\n  hooks: []\n';
    const merged = mergePreCommitConfig(text);
    expect(merged).toContain(
      'default_install_hook_types: [ pre-commit, pre-push ]  # ours # pre-push added by secure-repo',
    );
    expect(unmergePreCommitConfig(merged)).toBe(text);
  });

  it('pre-commit: invalid YAML is refused, not rewritten', () => {
    expect(() => mergePreCommitConfig('repos: [\n')).toThrow(/not valid YAML/);
  });

  it('lefthook: a new file, and a hook that uses jobs', () => {
    const fresh = mergeLefthookConfig(null);
    const parsed = parseYaml(fresh) as Record<
      string,
      { commands: Record<string, { run: string; use_stdin?: boolean }> }
    >;
    expect(parsed['pre-push']!.commands['secure-repo']!.use_stdin).toBe(true);
    expect(unmergeLefthookConfig(fresh).trim()).toBe('');

    const jobs = 'pre-commit:\n  jobs:\n    - name: lint\n      run: npm run lint\n';
    const merged = mergeLefthookConfig(jobs);
    const pj = parseYaml(merged) as Record<string, { jobs?: { name: string }[] }>;
    expect(pj['pre-commit']!.jobs!.map((j) => j.name)).toEqual(['lint', 'secure-repo']);
    expect(unmergeLefthookConfig(merged)).toBe(jobs);
  });
});

describe('pre-push input', () => {
  it("parses git's ref lines and rebuilds them from the pre-commit framework's variables", async () => {
    const sha = 'a'.repeat(40);
    expect(parsePushLines(`refs/heads/main ${sha} refs/heads/main ${'0'.repeat(40)}\n\n`)).toEqual([
      { localRef: 'refs/heads/main', localSha: sha, remoteRef: 'refs/heads/main', remoteSha: '0'.repeat(40) },
    ]);
    expect(
      await pushInputFromEnv(process.cwd(), {
        PRE_COMMIT_TO_REF: sha,
        PRE_COMMIT_FROM_REF: 'b'.repeat(40),
        PRE_COMMIT_LOCAL_BRANCH: 'refs/heads/x',
      }),
    ).toBe(`refs/heads/x ${sha} refs/heads/x ${'b'.repeat(40)}\n`);
    expect(await pushInputFromEnv(process.cwd(), {})).toBe('');
  });

  it('reads SECURE_REPO_SKIP', () => {
    expect(parseSkip('1').all).toBe(true);
    const some = parseSkip('sast, tests');
    expect([some.all, some.has('sast'), some.has('tests'), some.has('secrets')]).toEqual([false, true, true, false]);
    expect(parseSkip(undefined).has('secrets')).toBe(false);
  });
});

describe('pre-commit framework stage names', () => {
  it('follow the config, then minimum_pre_commit_version, then the installed pre-commit', async () => {
    const { stageNamesFor, mergePreCommitConfig } = await import('../../src/hooks/install/pre-commit-framework.js');
    expect(stageNamesFor('repos: []\ndefault_stages: [commit, push]\n', [4, 0])).toBe('legacy');
    expect(
      stageNamesFor('repos:\n  - repo: local\n    hooks:\n      - id: x\n        stages: [pre-push]\n', [3, 0]),
    ).toBe('current');
    expect(stageNamesFor('minimum_pre_commit_version: "3.5.0"\nrepos: []\n', [3, 0])).toBe('current');
    expect(stageNamesFor('minimum_pre_commit_version: 2.20.0\nrepos: []\n', null)).toBe('legacy');
    expect(stageNamesFor('repos: []\n', [3, 0])).toBe('legacy');
    expect(stageNamesFor('repos: []\n', [3, 2])).toBe('current');
    expect(stageNamesFor('repos: []\n', null)).toBe('current');
    expect(mergePreCommitConfig('repos: []\n', 'legacy')).toMatch(/stages: \[commit\][\s\S]*stages: \[push\]/);
    expect(mergePreCommitConfig('repos: []\n', 'current')).toMatch(/stages: \[pre-commit\][\s\S]*stages: \[pre-push\]/);
  });
});
