import type { OperateFinding } from './types.js';
import { canWrite, effectivePermissions, type JobModel, type StepModel, type WorkflowModel } from './workflow-model.js';

/** Events that run with the base repository's secrets and a write token while their input comes from outside. */
const PRIVILEGED_EVENTS = ['pull_request_target', 'workflow_run'];
/** Events whose runs an outside contributor can start. */
const PR_REACHABLE = [
  'pull_request',
  'pull_request_target',
  'issue_comment',
  'pull_request_review',
  'pull_request_review_comment',
  'discussion_comment',
];
/** A ref expression naming the untrusted head of a pull request or of the triggering run. */
const HEAD_REF =
  /github\.event\.pull_request\.head\.(?:sha|ref)|github\.head_ref|github\.event\.workflow_run\.head_(?:sha|branch)|refs\/pull\//;
/**
 * Contexts an outside contributor writes (titles, bodies, branch names, commit messages, emails). Expanded inside a
 * script they become shell code; through `env:` they stay data.
 */
const UNTRUSTED = new RegExp(
  String.raw`\$\{\{[^}]*(?:github\.event\.(?:issue\.(?:title|body)|pull_request\.(?:title|body|head\.ref|head\.label|head\.repo\.default_branch)|comment\.body|review\.body|review_comment\.body|discussion\.(?:title|body)|pages\.[^}]*page_name|commits\.[^}]*(?:message|author\.(?:email|name))|head_commit\.(?:message|author\.(?:email|name))|workflow_run\.(?:head_branch|head_commit\.(?:message|author\.(?:email|name))|display_title))|github\.head_ref)[^}]*\}\}`,
);
const SHA = /^[0-9a-f]{40}$/;
const HARDEN = 'step-security/harden-runner';
const GITHUB_HOSTED = /^(?:ubuntu|windows|macos)-|^ubuntu-slim$/;

const at = (wf: WorkflowModel, line: number) => ({ path: wf.path, line });

function isCheckout(s: StepModel): boolean {
  return Boolean(s.uses && /^actions\/checkout@/.test(s.uses));
}

/** The static risks in one workflow file. */
export function workflowRisks(wf: WorkflowModel): OperateFinding[] {
  const out: OperateFinding[] = [];
  const privileged = PRIVILEGED_EVENTS.filter((e) => wf.events.has(e));
  const prReachable = PR_REACHABLE.some((e) => wf.events.has(e));
  for (const job of wf.jobs) {
    const where = `${wf.path} (job ${job.id})`;
    if (privileged.length) {
      const headCheckout = job.steps.find((s) => isCheckout(s) && s.with.ref && HEAD_REF.test(s.with.ref.value));
      const secrets = [...job.secretNames].filter((n) => n !== 'GITHUB_TOKEN');
      const write = canWrite(effectivePermissions(wf, job));
      if (headCheckout && (secrets.length || write)) {
        out.push({
          detection: 'workflow-dangerous-trigger',
          key: `${wf.path}#${job.id}`,
          severity: 'critical',
          target: where,
          file: at(wf, headCheckout.line),
          message: `on ${privileged.join(', ')}, job ${job.id} checks out the untrusted head (${headCheckout.with.ref!.value}) with ${[
            secrets.length ? `secrets ${secrets.join(', ')}` : '',
            write ? 'a token that can write' : '',
          ]
            .filter(Boolean)
            .join(' and ')}`,
        });
      }
    }
    for (const s of job.steps) {
      const scripts: [string, number][] = [];
      if (s.run) scripts.push([s.run, s.runLine]);
      if (s.uses && /^actions\/github-script@/.test(s.uses) && s.with.script)
        scripts.push([s.with.script.value, s.with.script.line]);
      for (const [text, line] of scripts) {
        const m = UNTRUSTED.exec(text);
        if (m)
          out.push({
            detection: 'workflow-script-injection',
            key: `${wf.path}#${job.id}#${m[0]}`,
            severity: 'high',
            target: where,
            file: at(wf, line),
            message: `${m[0]} is expanded into a script: a crafted title, branch name or comment runs as code`,
          });
      }
      if (s.uses) out.push(...usesRisks(wf, job, s.uses, s.line));
      if (isCheckout(s) && s.with['persist-credentials']?.value !== 'false') {
        out.push({
          detection: 'workflow-persist-credentials',
          key: `${wf.path}#${job.id}#${s.line}`,
          severity: 'low',
          target: where,
          file: at(wf, s.line),
          message:
            'actions/checkout keeps the token in .git/config for every later step (persist-credentials is not false)',
        });
      }
    }
    if (job.uses) out.push(...usesRisks(wf, job, job.uses.value, job.uses.line));
    // A workflow in this repository is reviewed with it; inheriting secrets across repositories is the risk.
    if (job.secretsInherit && !job.uses?.value.startsWith('./'))
      out.push({
        detection: 'workflow-secrets-inherit',
        key: `${wf.path}#${job.id}`,
        severity: 'medium',
        target: where,
        file: at(wf, job.line),
        message: `job ${job.id} passes every secret of the repository to ${job.uses?.value ?? 'a reusable workflow'}`,
      });
    for (const img of job.images) {
      if (!/@sha256:[0-9a-f]{64}$/.test(img.image) && !img.image.includes('${{')) {
        out.push({
          detection: 'workflow-unpinned-image',
          key: `${wf.path}#${job.id}#${img.image}`,
          severity: 'medium',
          target: where,
          file: at(wf, img.line),
          message: `${img.where} image ${img.image} has no digest: the tag can be moved to other content`,
        });
      }
    }
    if (prReachable && job.runsOn.some((l) => l === 'self-hosted' || (!GITHUB_HOSTED.test(l) && !l.includes('${{')))) {
      out.push({
        detection: 'workflow-self-hosted-pr',
        key: `${wf.path}#${job.id}`,
        severity: 'high',
        target: where,
        file: at(wf, job.line),
        message: `job ${job.id} runs on ${job.runsOn.join(', ')} and the workflow runs on ${[...wf.events].filter((e) => PR_REACHABLE.includes(e)).join(', ')}: a pull request can run code on that machine`,
      });
    }
    if (!job.uses && job.steps.length && !(job.steps[0]!.uses ?? '').startsWith(`${HARDEN}@`)) {
      out.push({
        detection: 'workflow-no-hardening',
        key: `${wf.path}#${job.id}`,
        severity: 'low',
        target: where,
        file: at(wf, job.line),
        message: `job ${job.id} does not start with ${HARDEN}`,
      });
    }
  }
  return out;
}

function usesRisks(wf: WorkflowModel, job: JobModel, uses: string, line: number): OperateFinding[] {
  const where = `${wf.path} (job ${job.id})`;
  if (uses.startsWith('./')) return [];
  if (uses.startsWith('docker://')) {
    return /@sha256:[0-9a-f]{64}$/.test(uses)
      ? []
      : [
          {
            detection: 'workflow-unpinned-image',
            key: `${wf.path}#${job.id}#${uses}`,
            severity: 'medium',
            target: where,
            file: at(wf, line),
            message: `${uses} has no digest`,
          },
        ];
  }
  const ref = uses.split('@')[1] ?? '';
  if (SHA.test(ref)) return [];
  // The SLSA generator verifies its own ref and refuses to run pinned by SHA: a release tag is the documented form.
  if (/^slsa-framework\/slsa-github-generator\/\.github\/workflows\/[^@]+@v\d+\.\d+\.\d+$/.test(uses)) return [];
  return [
    {
      detection: 'workflow-unpinned-uses',
      key: `${wf.path}#${job.id}#${uses}`,
      severity: 'medium',
      target: where,
      file: at(wf, line),
      message: `${uses} is not pinned to a full commit SHA: whoever controls the tag controls this job`,
    },
  ];
}

/** Workflow files present now that the reviewed baseline does not list. */
export function unknownWorkflows(paths: string[], known: string[] | null): OperateFinding[] {
  if (!known) return [];
  const set = new Set(known);
  return paths
    .filter((p) => !set.has(p))
    .map((p) => ({
      detection: 'workflow-unknown-file',
      key: p,
      severity: 'medium' as const,
      target: p,
      file: { path: p, line: 1 },
      message: `${p} is not in the reviewed baseline`,
    }));
}
