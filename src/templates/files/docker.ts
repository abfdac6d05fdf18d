import type { FileIntent } from '../../changes/types.js';
import type { TemplateContext } from '../context.js';
import { dockerfileKind } from '../../detect/stages.js';
import { NODE_INSTALL } from '../workflows/languages.js';
import { fill, generatedIntent, readAsset } from './assets.js';

type DockerTemplate = 'node' | 'python' | 'go' | 'java';

/** The hardened Dockerfile template for the repository's main language, or null when detect found nothing to run. */
function dockerTemplateFor(ctx: TemplateContext): DockerTemplate | null {
  return dockerfileKind(ctx.det);
}

/** We offer a Dockerfile only when the repository has none of its own (a root one may be ours from a previous run). */
export function needsGeneratedDockerfile(ctx: TemplateContext): boolean {
  const own = ctx.det.docker.dockerfiles.filter((f) => f !== 'Dockerfile');
  return ctx.config.stages.includes('package') && own.length === 0 && dockerTemplateFor(ctx) !== null;
}

/** The Go release the pinned builder image carries (golang:1.24-bookworm); keep in step with templates/docker/go.Dockerfile. */
export const GO_IMAGE_VERSION = '1.24';

const cmp = (a: number[], b: number[]) => (a[0]! - b[0]!) || (a[1]! - b[1]!) || ((a[2] ?? 0) - (b[2] ?? 0));
const parts = (v: string) => v.split('.').map(Number);

/**
 * The toolchain go.mod asks for when the builder image is older. Official images set GOTOOLCHAIN=local, so a go.mod
 * needing a newer Go fails to build there; naming the release makes the go command fetch it (checksum-verified).
 */
export function goToolchainFor(go: { version: string | null; toolchain: string | null } | null): string | null {
  const want = go?.toolchain ?? go?.version;
  if (!want) return null;
  const v = parts(want);
  // The image's patch level is not known from its tag: anything past X.Y.0 of its release asks for the exact one.
  if (cmp(v, parts(`${GO_IMAGE_VERSION}.0`)) <= 0) return null;
  return `go${v.length === 2 ? `${want}.0` : want}`;
}

function nodeVars(ctx: TemplateContext): Record<string, string> {
  const node = ctx.det.node!;
  const pm = node.manager;
  const steps = [(NODE_INSTALL[pm] ?? 'npm ci').replace(/\n/g, ' && ')];
  if (node.scripts.build) steps.push(`${pm} run build`);
  if (pm === 'npm') steps.push('npm prune --omit=dev');
  // The entry file detect found (start script's `node X`, else main), never a guess.
  return { BUILD: steps.join(' \\\n && '), ENTRY: ctx.det.ci.nodeEntry! };
}

function vars(ctx: TemplateContext, kind: DockerTemplate): Record<string, string> {
  switch (kind) {
    case 'node':
      return nodeVars(ctx);
    case 'python': {
      const py = ctx.det.ci.python!;
      const req = py.requirements.find((r) => r.file === 'requirements.txt');
      // Hash-locked requirements first, then the project itself without re-resolving; else the project's own ranges.
      const install =
        req && req.hashed && !req.editable
          ? '/opt/venv/bin/python -m pip install --require-hashes -r requirements.txt \\\n && /opt/venv/bin/python -m pip install --no-deps .'
          : '/opt/venv/bin/python -m pip install .';
      return { INSTALL: install, SCRIPT: py.script! };
    }
    case 'go': {
      const tc = goToolchainFor(ctx.det.ci.go);
      return {
        TOOLCHAIN: tc ? `# go.mod needs ${tc.slice(2)}, newer than this image's Go ${GO_IMAGE_VERSION}: the go command fetches that release.\nENV GOTOOLCHAIN=${tc}\n` : '',
        MAIN: ctx.det.ci.go!.main!,
      };
    }
    case 'java': {
      const j = ctx.det.java!;
      const build =
        j.build === 'maven'
          ? `${j.wrapper ? './mvnw' : 'mvn'} --batch-mode --no-transfer-progress -DskipTests package`
          : `${j.wrapper ? './gradlew' : 'gradle'} --no-daemon assemble`;
      return { BUILD: build, OUT: j.build === 'maven' ? 'target' : 'build/libs' };
    }
  }
}

export function dockerIntents(ctx: TemplateContext): FileIntent[] {
  if (!needsGeneratedDockerfile(ctx)) return [];
  const kind = dockerTemplateFor(ctx)!;
  const body = fill(readAsset(`docker/${kind}.Dockerfile`), vars(ctx, kind));
  return [
    generatedIntent('Dockerfile', body, '#', `hardened ${kind} Dockerfile: multi-stage, digest-pinned bases, non-root`, 'package'),
    generatedIntent('.dockerignore', readAsset('docker/dockerignore'), '#', 'keeps .env files, keys and .git out of the image', 'package'),
  ];
}
