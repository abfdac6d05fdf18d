import type { Config } from '../config/types.js';
import type { Detection } from '../detect/types.js';
import type { Pins } from './pins.js';
import { buildsImage, hasIacIn } from '../detect/stages.js';

/** Everything a template reads: what detect found, the chosen config, the pins, and our own version. */
export interface TemplateContext {
  det: Detection;
  config: Config;
  pins: Pins;
  /** The create-secure-repo version workflows run via npx when the repository has no devDependency on us. */
  toolVersion: string;
}

/** The default branch in the form workflow triggers take. */
export function defaultBranch(ctx: TemplateContext): string {
  return ctx.config.protection.branch ?? ctx.det.defaultBranch;
}

/** True when the package stage builds, publishes and signs a container image for this repository. */
export function hasContainer(ctx: TemplateContext): boolean {
  return buildsImage(ctx.det, ctx.config);
}

/** The Dockerfile the image is built from: the user's first one, else the one we generate at the root. */
export function dockerfilePath(ctx: TemplateContext): string {
  return ctx.det.docker.dockerfiles[0] ?? 'Dockerfile';
}

export function hasIac(ctx: TemplateContext): boolean {
  return hasIacIn(ctx.det);
}

/** Where CI installs our scanner from when the project's own lockfile does not pin it: a lockfile of its own. */
export const TOOL_DIR = '.github/secure-repo';

/** The Node project's own lockfile (null: `npm ci` cannot run, e.g. express with `package-lock=false`). */
function nodeLockfile(ctx: TemplateContext): string | null {
  const node = ctx.det.node;
  if (!node) return null;
  return ctx.det.manifests.find((m) => m.ecosystem === 'npm' && m.dir === node.dir)?.lockfile ?? null;
}

/**
 * How CI runs our scanner, always installed pinned with integrity hashes: through the project's own lockfile when
 * the project depends on us and has one (same version as the hooks), else through the lockfile under TOOL_DIR,
 * which `npm ci` checks hash by hash. Never a floating `npx --yes pkg@version`.
 */
export function scannerInvocation(ctx: TemplateContext): { viaProjectLock: boolean; command: string } {
  const node = ctx.det.node;
  const dev = node && (node.devDependencies['create-secure-repo'] ?? node.dependencies['create-secure-repo']);
  // init itself adds the devDependency when husky installs the hooks: decide from that too, or a re-run would differ.
  const willAdd = Boolean(node) && ctx.config.hooks.manager === 'husky' && ctx.config.stages.includes('code');
  if ((dev || willAdd) && nodeLockfile(ctx)) return { viaProjectLock: true, command: 'npx --no-install secure-repo' };
  return { viaProjectLock: false, command: `./${TOOL_DIR}/node_modules/.bin/secure-repo` };
}

/**
 * Whether code scanning takes uploads here, decided when the job runs: public repositories have it; private and
 * internal ones only with GitHub Code Security, which no token in the workflow can see, so the repository variable
 * SECURE_REPO_CODE_SCANNING ('true'/'false') says so. Without it the SARIF is kept as an artifact instead.
 */
export const CODE_SCANNING =
  "(vars.SECURE_REPO_CODE_SCANNING == 'true' || (vars.SECURE_REPO_CODE_SCANNING != 'false' && github.event.repository.visibility == 'public'))";

/** Artifact attestations: public repositories, or a plan that has them (GitHub Enterprise Cloud) as the variable says. */
export const ATTESTATIONS =
  "(vars.SECURE_REPO_ATTESTATIONS == 'true' || (vars.SECURE_REPO_ATTESTATIONS != 'false' && github.event.repository.visibility == 'public'))";
