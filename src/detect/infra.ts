import { ownership } from '../core/ownership.js';
import { dirOf, type RepoFiles } from './files.js';
import type { Detection } from './types.js';

const MAX_YAML_PROBES = 400;

/** Containers and infrastructure as code: what the Package, Test and Deploy stages scan and protect. */
export async function detectInfra(files: RepoFiles): Promise<Pick<Detection, 'docker' | 'iac'>> {
  const dockerfiles = files.byName(/^(Dockerfile|Containerfile)(\..+)?$|\.dockerfile$/i);
  const compose = files.byName(/^(docker-)?compose(\.[\w-]+)?\.ya?ml$/);
  const terraform = [...new Set(files.byName(/\.tf$/).map(dirOf))];
  const charts = files.byName(/^Chart\.yaml$/).map(dirOf);
  const inChart = (f: string) => charts.some((c) => f === c || f.startsWith(c === '.' ? '' : `${c}/`));
  const bicep = files.byName(/\.bicep$/);

  const kubernetes: string[] = [];
  const cloudformation: string[] = [];
  const arm: string[] = [];
  const yamls = files
    .byName(/\.ya?ml$/)
    .filter((f) => !f.startsWith('.github/') && !inChart(f) && !compose.includes(f));
  for (const f of yamls.slice(0, MAX_YAML_PROBES)) {
    const text = await files.read(f);
    // Files we generated (admission policies, NetworkPolicies) say nothing about what the user deploys.
    if (!text || text.length > 1_000_000 || ownership(text) !== 'theirs') continue;
    if (/^AWSTemplateFormatVersion:|^\s+Type:\s*['"]?AWS::/m.test(text)) cloudformation.push(f);
    else if (/^apiVersion:\s*\S+/m.test(text) && /^kind:\s*[A-Z]\w+/m.test(text)) kubernetes.push(f);
  }
  for (const f of files
    .byName(/\.json$/)
    .filter((x) => !x.includes('node_modules/'))
    .slice(0, MAX_YAML_PROBES)) {
    if (/package(-lock)?\.json$|tsconfig|\.eslintrc|composer\.(json|lock)/.test(f)) continue;
    const text = await files.read(f);
    if (!text || text.length > 2_000_000) continue;
    if (/schema\.management\.azure\.com\/schemas\/[^"]*deploymentTemplate/.test(text)) arm.push(f);
    else if (/"AWSTemplateFormatVersion"|"Type"\s*:\s*"AWS::/.test(text)) cloudformation.push(f);
  }
  return {
    docker: { dockerfiles, compose },
    iac: { terraform, helm: charts, kubernetes, bicep, arm, cloudformation },
  };
}
