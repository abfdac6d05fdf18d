import { describe, expect, it } from 'vitest';
import { frameworkFailure } from '../../src/init/verify.js';

describe('what init says when the pre-commit framework cannot set up the project’s other hooks', () => {
  it('names the hook repository it could not set up (seen on flask without network)', () => {
    const detail =
      'git commit failed, not because of secure-repo (exit 3: [INFO] Initializing environment for https://github.com/pre-commit/pre-commit-hooks. ' +
      '[INFO] Initializing environment for https://github.com/astral-sh/ruff-pre-commit. An unexpected error has occurred: ' +
      "CalledProcessError: command: ('/usr/lib/git-core/git', 'fetch', 'origin', '--tags') return code: 128)";
    expect(frameworkFailure(detail)).toBe(
      'it could not set up https://github.com/astral-sh/ruff-pre-commit; is that repository reachable from here?',
    );
  });

  it('otherwise quotes the message, cut at a word, never inside one', () => {
    const long = `not because of secure-repo (exit 1: ${'InvalidManifestError: the manifest is not valid yaml '.repeat(6)})`;
    const said = frameworkFailure(long);
    expect(said.length).toBeLessThanOrEqual(162);
    expect(said).toMatch(/^InvalidManifestError: the manifest/);
    expect(said).toMatch(/ \w+ …$/);
    expect(frameworkFailure('not because of secure-repo (exit 1: short)')).toBe('short');
  });
});
