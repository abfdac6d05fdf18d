import type { Palette } from '../core/style.js';
import type { Detection } from '../detect/types.js';

/** A short summary of what detect found, so the user can see why the plan looks the way it does. */
export function describeDetection(
  det: Detection,
  c: Palette,
  version: string,
  originUrl: string | null = null,
): string {
  const parts: [string, string][] = [];
  parts.push(['repository', det.root]);
  const branch = det.head.branch ?? (det.head.detached ? '(detached HEAD)' : '(none yet)');
  parts.push(['branch', `${branch}${det.defaultBranch !== det.head.branch ? `, default ${det.defaultBranch}` : ''}`]);
  parts.push([
    'remote',
    det.remote
      ? `${det.remote.owner}/${det.remote.name} on ${det.remote.host}`
      : originUrl
        ? `origin ${originUrl} (not GitHub)`
        : 'none',
  ]);
  parts.push(['languages', det.languages.join(', ') || 'none detected']);
  const managers = [...new Set(det.manifests.map((m) => m.manager))];
  if (managers.length)
    parts.push([
      'packages',
      managers.join(', ') + (det.monorepo ? ` (monorepo: ${det.monorepo.packages.length} packages)` : ''),
    ]);
  const infra = [
    det.docker.dockerfiles.length ? `${det.docker.dockerfiles.length} Dockerfile(s)` : '',
    det.iac.terraform.length ? 'Terraform' : '',
    det.iac.helm.length ? 'Helm' : '',
    det.iac.kubernetes.length ? 'Kubernetes manifests' : '',
    det.iac.bicep.length || det.iac.arm.length ? 'Azure ARM/Bicep' : '',
    det.iac.cloudformation.length ? 'CloudFormation' : '',
  ].filter(Boolean);
  if (infra.length) parts.push(['infra', infra.join(', ')]);
  const hooks = [
    ...det.hooks.managers,
    det.hooks.coreHooksPath ? `core.hooksPath=${det.hooks.coreHooksPath}` : '',
    det.hooks.gitHooks.length ? `.git/hooks: ${det.hooks.gitHooks.join(', ')}` : '',
  ].filter(Boolean);
  parts.push(['hooks', hooks.join('; ') || 'none']);
  if (det.github.workflows.length) parts.push(['workflows', `${det.github.workflows.length} existing`]);
  const width = Math.max(...parts.map(([k]) => k.length));
  return `${c.bold(`create-secure-repo ${version}`)}\n${parts.map(([k, v]) => `  ${c.dim(k.padEnd(width))}  ${v}`).join('\n')}\n`;
}
