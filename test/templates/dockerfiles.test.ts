import { describe, expect, test } from 'vitest';
import { goToolchainFor, GO_IMAGE_VERSION } from '../../src/templates/files/docker.js';
import { canBuildImage } from '../../src/detect/stages.js';
import { configFor, detection } from './fixtures.js';
import { renderAll } from './render.js';

const dockerfileOf = (files: Map<string, string>) => files.get('Dockerfile');

/** COPY sources of the build context (not `--from=` stages), one per argument, the destination left out. */
function copySources(dockerfile: string): string[] {
  const out: string[] = [];
  for (const line of dockerfile.split('\n')) {
    const m = /^COPY\s+(.*)$/.exec(line);
    if (!m || /--from=/.test(m[1]!)) continue;
    const args = m[1]!.split(/\s+/).filter((a) => !a.startsWith('--'));
    out.push(...args.slice(0, -1));
  }
  return out;
}

/** The Go release a build stage runs: GOTOOLCHAIN when set, else the golang image's tag. */
function goUsed(dockerfile: string): string {
  const tc = /^ENV GOTOOLCHAIN=go(\S+)$/m.exec(dockerfile)?.[1];
  if (tc) return tc;
  return /^FROM golang:(\d+\.\d+)/m.exec(dockerfile)![1]!;
}

const newer = (a: string, b: string) => {
  const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  return false;
};

describe('generated Dockerfiles copy only what exists and run what detect found', () => {
  test('Node: the entry file detect found, nothing guessed', () => {
    const det = detection('node-app');
    det.docker.dockerfiles = [];
    const file = dockerfileOf(renderAll(det, configFor(det)).files)!;
    expect(file).toContain('CMD ["server.js"]');
    expect(copySources(file)).toEqual(['.']);
  });

  test('Node without an entry file that exists: no Dockerfile, and no image to build', () => {
    const det = detection('node-app');
    det.docker.dockerfiles = [];
    det.ci.nodeEntry = null;
    expect(canBuildImage(det)).toBe(false);
    const { files } = renderAll(det, configFor(det));
    expect(dockerfileOf(files)).toBeUndefined();
    expect(files.has('.github/workflows/secure-repo-publish.yml')).toBe(false);
  });

  test('Python: the project installed and its console script run; no requirements.txt copied that is not there', () => {
    const det = detection('python');
    const config = configFor(det);
    config.stages = [...config.stages, 'package'];
    const file = dockerfileOf(renderAll(det, config).files)!;
    expect(copySources(file)).toEqual(['.']);
    expect(file).not.toMatch(/-r requirements\.txt/);
    expect(file).toContain('pip install .');
    expect(file).toContain('CMD ["ledger"]');
  });

  test('Python with a hash-locked requirements.txt: hash-checking mode, then the project without re-resolving', () => {
    const det = detection('python');
    det.ci.python = { ...det.ci.python!, requirements: [{ file: 'requirements.txt', hashed: true, editable: false, pytest: false, includes: [] }] };
    const config = configFor(det);
    config.stages = [...config.stages, 'package'];
    const file = dockerfileOf(renderAll(det, config).files)!;
    expect(file).toContain('pip install --require-hashes -r requirements.txt');
    expect(file).toContain('pip install --no-deps .');
  });

  test('Python without a console script: no Dockerfile (nothing to run)', () => {
    const det = detection('python');
    det.ci.python = { ...det.ci.python!, script: null };
    expect(canBuildImage(det)).toBe(false);
  });

  test.each([
    ['1.22', null],
    ['1.24', null],
    ['1.24.0', null],
    ['1.24.3', 'go1.24.3'],
    ['1.25', 'go1.25.0'],
    ['1.25.1', 'go1.25.1'],
  ])('Go: go.mod says %s → GOTOOLCHAIN %s (image Go %s)', (version, want) => {
    expect(goToolchainFor({ version, toolchain: null })).toBe(want);
    const det = detection('go-docker-tf-helm');
    det.docker.dockerfiles = [];
    det.ci.go = { dir: '.', version, toolchain: null, main: '.' };
    const file = dockerfileOf(renderAll(det, configFor(det)).files)!;
    // The toolchain the build runs is never older than the module asks for (the images set GOTOOLCHAIN=local).
    expect(newer(version, goUsed(file))).toBe(false);
    expect(file.includes('ENV GOTOOLCHAIN=')).toBe(want !== null);
    expect(GO_IMAGE_VERSION).toBe(/^FROM golang:(\d+\.\d+)/m.exec(file)![1]);
  });

  test('Go: a toolchain line wins over the go line, and the main package is what is built', () => {
    expect(goToolchainFor({ version: '1.23', toolchain: '1.25.4' })).toBe('go1.25.4');
    const det = detection('go-docker-tf-helm');
    det.docker.dockerfiles = [];
    det.ci.go = { dir: '.', version: '1.23', toolchain: null, main: './cmd/edge' };
    const file = dockerfileOf(renderAll(det, configFor(det)).files)!;
    expect(file).toMatch(/-o \/out\/app \.\/cmd\/edge$/m);
    expect(copySources(file)).toEqual(['go.mod', 'go.sum*', '.']);
  });

  test('Go library without a main package: no Dockerfile', () => {
    const det = detection('go-docker-tf-helm');
    det.docker.dockerfiles = [];
    det.ci.go = { dir: '.', version: '1.22', toolchain: null, main: null };
    expect(canBuildImage(det)).toBe(false);
  });
});
