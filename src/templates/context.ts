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

/**
 * How CI runs our scanner: the repository's own devDependency when it has one (same version as the hooks),
 * else the exact version that generated the workflow through npx.
 */
export function scannerInvocation(ctx: TemplateContext): { viaDevDependency: boolean; command: string } {
  const node = ctx.det.node;
  const dev = node && (node.devDependencies['create-secure-repo'] ?? node.dependencies['create-secure-repo']);
  // init itself adds the devDependency when husky installs the hooks: decide from that too, or a re-run would differ.
  const willAdd = Boolean(node) && ctx.config.hooks.manager === 'husky' && ctx.config.stages.includes('code');
  if (dev || willAdd) return { viaDevDependency: true, command: 'npx --no-install secure-repo' };
  return { viaDevDependency: false, command: `npx --yes create-secure-repo@${ctx.toolVersion}` };
}
