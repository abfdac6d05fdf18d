import type { Config, Stage } from '../config/types.js';
import type { Detection } from './types.js';

/** Any infrastructure-as-code detect found (Terraform, Helm, Kubernetes, Bicep, ARM, CloudFormation). */
export const hasIacIn = (det: Detection): boolean => Object.values(det.iac).some((l) => l.length > 0);
const hasK8s = (det: Detection) => det.iac.kubernetes.length > 0 || det.iac.helm.length > 0;

/**
 * The language whose hardened Dockerfile we can generate from what detect found, or null. Only what the repository
 * supports: Node with an entry file that exists, Go with a main package, Python with a console script to run, Java.
 */
export function dockerfileKind(det: Detection): 'node' | 'go' | 'python' | 'java' | null {
  if (det.node) return det.ci.nodeEntry ? 'node' : null;
  if (det.go) return det.ci.go?.main ? 'go' : null;
  if (det.python) return det.ci.python?.installable && det.ci.python.script ? 'python' : null;
  if (det.java) return 'java';
  return null;
}

/** An image can be built: the repository has a Dockerfile, or one we can generate for it. */
export function canBuildImage(det: Detection): boolean {
  return det.docker.dockerfiles.length > 0 || dockerfileKind(det) !== null;
}

/** The package stage is selected and has an image to build. */
export function buildsImage(det: Detection, config: Config): boolean {
  return config.stages.includes('package') && canBuildImage(det);
}

/**
 * Stages that apply to a repository, which init uses as the default for `config.stages`:
 * code, build, release and operate always; package when there is (or should be) a container image: a Dockerfile,
 * compose, Kubernetes/Helm to deploy it to, or a Node service with a start script; test when there is IaC to scan or
 * a service to run DAST against; deploy when Kubernetes or Helm is present.
 */
export function applicableStages(det: Detection): Stage[] {
  const container =
    det.docker.dockerfiles.length > 0 ||
    det.docker.compose.length > 0 ||
    hasK8s(det) ||
    Boolean(det.node?.scripts.start);
  const out: Stage[] = ['code', 'build'];
  if (container) out.push('package');
  if (container || hasIacIn(det)) out.push('test');
  out.push('release');
  if (hasK8s(det)) out.push('deploy');
  out.push('operate');
  return out;
}

/**
 * Stages that put a job into the pull-request workflow (and so behind the required check). Test contributes only
 * when it has something to run: IaC to scan or a service to start for DAST.
 */
export function gateStages(det: Detection, config: Config): Stage[] {
  const service = config.ci.dastStartCommand !== null || det.docker.compose.length > 0 || buildsImage(det, config);
  return config.stages.filter((s) => {
    if (s === 'test') return hasIacIn(det) || service;
    if (s === 'package') return buildsImage(det, config);
    return s === 'code' || s === 'build' || s === 'release';
  });
}
