import type { Config } from '../config/types.js';
import type { Detection } from '../detect/types.js';
import type { FileIntent } from '../changes/types.js';
import { VERSION } from '../core/version.js';
import { generatedFile } from '../changes/generated.js';
import { hasContainer, type TemplateContext } from './context.js';
import { clusterIntents, admissionIntent, policyIntents } from './files/cluster.js';
import { dockerIntents } from './files/docker.js';
import { codeownersIntent, dependabotIntent, securityPolicyIntent } from './files/repository.js';
import { loadPins, type Pins } from './pins.js';
import { gateStages } from '../detect/stages.js';
import { serializeWorkflow } from './workflow/serialize.js';
import type { WorkflowFile } from './workflow/types.js';
import { buildWorkflow } from './workflows/build.js';
import { ciWorkflow } from './workflows/ci.js';
import { codeWorkflow } from './workflows/code.js';
import { deployWorkflow } from './workflows/deploy.js';
import { auditWorkflow, SCORECARD_WORKFLOW, scorecardWorkflow } from './workflows/operate.js';
import { skippedIntent } from './files/assets.js';
import { packageWorkflow, publishWorkflow } from './workflows/package.js';
import { policyWorkflow, releaseWorkflow } from './workflows/release.js';
import { testWorkflow } from './workflows/test.js';
import type { Stage } from '../config/types.js';

export { applicableStages, gateStages } from '../detect/stages.js';
export { requiredChecks, REQUIRED_CHECK_JOB_ID, REQUIRED_CHECK_NAME } from '../detect/checks.js';

export interface RenderOptions {
  /** Pins to use instead of the repository's / bundled ones (tests, `pins --update` previews). */
  pins?: Pins;
  /** Version npx runs in workflows (defaults to our own). */
  toolVersion?: string;
}

/** Every workflow for the selected stages, each tagged with its stage; the PR workflow first. */
export function renderWorkflows(det: Detection, config: Config, opts: RenderOptions = {}): (WorkflowFile & { stage: Stage })[] {
  const ctx: TemplateContext = { det, config, pins: opts.pins ?? loadPins(det.root), toolVersion: opts.toolVersion ?? VERSION };
  const on = new Set(config.stages);
  const gates = new Set(gateStages(det, config));
  const gated: (WorkflowFile & { stage: Stage })[] = [];
  const other: (WorkflowFile & { stage: Stage })[] = [];
  if (gates.has('code')) gated.push({ ...codeWorkflow(ctx), stage: 'code' });
  if (gates.has('build')) gated.push({ ...buildWorkflow(ctx), stage: 'build' });
  if (gates.has('package')) gated.push({ ...packageWorkflow(ctx), stage: 'package' });
  if (gates.has('test')) {
    const t = testWorkflow(ctx);
    if (t) gated.push({ ...t, stage: 'test' });
  }
  if (gates.has('release')) gated.push({ ...policyWorkflow(ctx), stage: 'release' });
  if (hasContainer(ctx)) other.push({ ...publishWorkflow(ctx), stage: 'package' });
  if (on.has('release')) other.push({ ...releaseWorkflow(ctx), stage: 'release' });
  if (on.has('deploy')) other.push({ ...deployWorkflow(ctx), stage: 'deploy' });
  if (on.has('operate')) {
    // The project's own Scorecard workflow is reused: a second one would publish and upload the same results twice.
    if (det.ci.existing.scorecard.length === 0) other.push({ ...scorecardWorkflow(ctx), stage: 'operate' });
    other.push({ ...auditWorkflow(ctx), stage: 'operate' });
  }
  const ci = gated.length > 0 ? [{ ...ciWorkflow(ctx, gated), stage: 'code' as Stage }] : [];
  return [...ci, ...gated, ...other];
}

/**
 * What init writes for the CI/CD stages: one FileIntent per file. Files we own carry our header and hash (a user's
 * edit is detected and kept); the user's own dependabot.yml and CODEOWNERS are merged into, never replaced.
 */
export function planTemplates(det: Detection, config: Config, opts: RenderOptions = {}): FileIntent[] {
  const pins = opts.pins ?? loadPins(det.root);
  const ctx: TemplateContext = { det, config, pins, toolVersion: opts.toolVersion ?? VERSION };
  const on = new Set(config.stages);
  const intents: FileIntent[] = renderWorkflows(det, config, { ...opts, pins }).map((w) => ({
    kind: 'file',
    path: w.path,
    reason: w.reason,
    stage: w.stage,
    render: generatedFile(serializeWorkflow(w.workflow, pins), '#'),
  }));
  const ownScorecard = det.ci.existing.scorecard;
  if (on.has('operate') && ownScorecard.length > 0) {
    intents.push(skippedIntent(SCORECARD_WORKFLOW, `${ownScorecard.join(', ')} already runs OpenSSF Scorecard; reused, not duplicated`, 'operate: weekly OpenSSF Scorecard', 'operate'));
  }
  if (on.has('package')) intents.push(...dockerIntents(ctx));
  if (on.has('release')) {
    intents.push(...policyIntents());
    if (hasContainer(ctx)) intents.push(admissionIntent(ctx));
  }
  if (on.has('deploy')) intents.push(...clusterIntents(ctx));
  intents.push(securityPolicyIntent(ctx), codeownersIntent(ctx), dependabotIntent(ctx));
  return intents;
}
