import type { FileIntent } from '../../changes/types.js';
import type { TemplateContext } from '../context.js';
import { NODE_INSTALL } from '../workflows/languages.js';
import { fill, generatedIntent, readAsset } from './assets.js';

type DockerTemplate = 'node' | 'python' | 'go' | 'java';

/** The hardened Dockerfile template for the repository's main language, or null when we have none for it. */
function dockerTemplateFor(ctx: TemplateContext): DockerTemplate | null {
  const { det } = ctx;
  if (det.node) return 'node';
  if (det.go) return 'go';
  if (det.python) return 'python';
  if (det.java) return 'java';
  return null;
}

/** We offer a Dockerfile only when the repository has none of its own (a root one may be ours from a previous run). */
export function needsGeneratedDockerfile(ctx: TemplateContext): boolean {
  const own = ctx.det.docker.dockerfiles.filter((f) => f !== 'Dockerfile');
  return ctx.config.stages.includes('package') && own.length === 0 && dockerTemplateFor(ctx) !== null;
}

function nodeVars(ctx: TemplateContext): Record<string, string> {
  const node = ctx.det.node!;
  const pm = node.manager;
  const steps = [(NODE_INSTALL[pm] ?? 'npm ci').replace(/\n/g, ' && ')];
  if (node.scripts.build) steps.push(`${pm} run build`);
  if (pm === 'npm') steps.push('npm prune --omit=dev');
  // `node server.js` in the start script names the entry point; index.js otherwise.
  const entry = /^node\s+([^\s;&|]+)/.exec(node.scripts.start ?? '')?.[1] ?? 'index.js';
  return { BUILD: steps.join(' \\\n && '), ENTRY: entry };
}

function vars(ctx: TemplateContext, kind: DockerTemplate): Record<string, string> {
  switch (kind) {
    case 'node':
      return nodeVars(ctx);
    case 'python':
      return { ENTRY: 'app' };
    case 'go':
      return {};
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
