import { parse } from 'yaml';

/**
 * File-based approximations of the OpenSSF Scorecard checks a fresh repository can pass from its files alone.
 * Each returns the problems found (empty = full marks for that check), following the documented criteria.
 */
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

interface Wf {
  path: string;
  text: string;
  doc: Obj;
}

export function parseWorkflows(files: Map<string, string>): Wf[] {
  return [...files]
    .filter(([p]) => p.startsWith('.github/workflows/'))
    .map(([path, text]) => ({ path, text, doc: obj(parse(text)) }));
}

function steps(wf: Wf): { job: string; step: Obj }[] {
  return Object.entries(obj(wf.doc.jobs)).flatMap(([job, j]) => ((obj(j).steps as Obj[] | undefined) ?? []).map((step) => ({ job, step })));
}

/** Token-Permissions: top level none or read-only; writes only on jobs. */
export function tokenPermissions(wfs: Wf[]): string[] {
  const out: string[] = [];
  for (const wf of wfs) {
    const top = wf.doc.permissions;
    if (top === undefined) out.push(`${wf.path}: no top-level permissions`);
    else if (top === 'write-all') out.push(`${wf.path}: top-level write-all`);
    else if (typeof top === 'object' && Object.values(obj(top)).some((v) => v === 'write')) out.push(`${wf.path}: top-level write permission`);
    for (const [id, j] of Object.entries(obj(wf.doc.jobs))) {
      if (obj(j).permissions === undefined) out.push(`${wf.path}: job ${id} has no permissions block`);
      if (obj(j).permissions === 'write-all') out.push(`${wf.path}: job ${id} has write-all`);
    }
  }
  return out;
}

const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/;

/** Pinned-Dependencies: actions and reusable workflows by full SHA; images by digest; no unpinned installers. */
export function pinnedDependencies(wfs: Wf[], dockerfiles: Map<string, string>): string[] {
  const out: string[] = [];
  for (const wf of wfs) {
    for (const [id, j] of Object.entries(obj(wf.doc.jobs))) {
      const uses = obj(j).uses;
      if (typeof uses === 'string' && !uses.startsWith('./') && !SHA_PIN.test(uses)) out.push(`${wf.path}: job ${id} uses unpinned ${uses}`);
    }
    for (const { job, step } of steps(wf)) {
      if (typeof step.uses === 'string' && !step.uses.startsWith('./') && !SHA_PIN.test(step.uses)) out.push(`${wf.path}: ${job} uses unpinned ${step.uses}`);
      const run = typeof step.run === 'string' ? step.run : '';
      for (const line of run.split('\n')) {
        if (/\b(curl|wget)\b[^|]*\|\s*(ba|z)?sh\b/.test(line)) out.push(`${wf.path}: ${job} pipes a download into a shell`);
        if (/\bnpm\s+(install|i)\b/.test(line) && !/\bnpm\s+ci\b/.test(line)) out.push(`${wf.path}: ${job} runs npm install`);
        if (/\bpip3?\s+install\b|-m\s+pip\s+install\b/.test(line) && !/--require-hashes/.test(line)) out.push(`${wf.path}: ${job} runs pip install without hashes`);
        if (/\bgo\s+(install|get)\b/.test(line)) out.push(`${wf.path}: ${job} runs go install/get`);
      }
    }
  }
  for (const [path, text] of dockerfiles) {
    const stages = new Set<string>();
    for (const m of text.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)) {
      if (!stages.has(m[1]!) && !/@sha256:[0-9a-f]{64}$/.test(m[1]!)) out.push(`${path}: FROM ${m[1]} is not pinned by digest`);
      if (m[2]) stages.add(m[2]);
    }
    if (/^RUN\s.*\bnpm\s+(install|i)\b/m.test(text)) out.push(`${path}: npm install in a RUN`);
  }
  return out;
}

const UNTRUSTED = /\$\{\{\s*github\.(event\.|head_ref)/;

/** Dangerous-Workflow: no pull_request_target/workflow_run checkout of PR code; no untrusted contexts in run. */
export function dangerousWorkflow(wfs: Wf[]): string[] {
  const out: string[] = [];
  for (const wf of wfs) {
    const raw = wf.doc.on;
    const on = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : Object.keys(obj(raw));
    if (on.includes('pull_request_target') || on.includes('workflow_run')) out.push(`${wf.path}: privileged trigger`);
    for (const { job, step } of steps(wf)) {
      if (typeof step.run === 'string' && UNTRUSTED.test(step.run)) out.push(`${wf.path}: ${job} expands an event value inside run:`);
    }
  }
  return out;
}

/** SAST: CodeQL analysis runs in a workflow triggered by pull requests (directly or through a called workflow). */
export function sast(wfs: Wf[]): string[] {
  const analyses = wfs.filter((wf) => steps(wf).some(({ step }) => (typeof step.uses === 'string' ? step.uses : '').startsWith('github/codeql-action/analyze@')));
  if (analyses.length === 0) return ['no CodeQL analysis'];
  const prWorkflows = wfs.filter((wf) => 'pull_request' in obj(wf.doc.on));
  const reached = analyses.some((a) => 'pull_request' in obj(a.doc.on) || prWorkflows.some((p) => Object.values(obj(p.doc.jobs)).some((j) => obj(j).uses === `./${a.path}`)));
  return reached ? [] : ['CodeQL does not run on pull requests'];
}

/** Dependency-Update-Tool: a Dependabot config with update entries. */
export function dependencyUpdateTool(files: Map<string, string>): string[] {
  const text = files.get('.github/dependabot.yml');
  if (!text) return ['no .github/dependabot.yml'];
  const doc = obj(parse(text));
  if (doc.version !== 2 || !Array.isArray(doc.updates) || doc.updates.length === 0) return ['dependabot.yml has no updates'];
  return [];
}

/** Security-Policy: SECURITY.md with a way to report (URL or e-mail), disclosure text, not just a stub. */
export function securityPolicy(files: Map<string, string>): string[] {
  const text = files.get('SECURITY.md') ?? files.get('.github/SECURITY.md');
  if (!text) return ['no SECURITY.md'];
  const out: string[] = [];
  if (!/https?:\/\/\S+|\S+@\S+\.\S+/.test(text)) out.push('SECURITY.md has no URL or e-mail to report to');
  if (!/disclos/i.test(text) || !/\d+\s+(working\s+)?days/.test(text)) out.push('SECURITY.md states no disclosure timeline');
  if (text.length < 300) out.push('SECURITY.md is too short to be a policy');
  return out;
}
