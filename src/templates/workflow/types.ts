/** The subset of the GitHub Actions workflow syntax our templates use, typed so a template cannot misspell a key. */

export type PermissionScope =
  | 'actions'
  | 'attestations'
  | 'checks'
  | 'contents'
  | 'deployments'
  | 'id-token'
  | 'issues'
  | 'packages'
  | 'pages'
  | 'pull-requests'
  | 'security-events'
  | 'statuses';

export type Permissions = Partial<Record<PermissionScope, 'read' | 'write' | 'none'>>;

export type Scalar = string | number | boolean;

export interface Step {
  name: string;
  id?: string;
  if?: string;
  /** `owner/repo@<sha>` from Pins.ref; the serializer adds the `# vX.Y.Z` comment. */
  uses?: string;
  with?: Record<string, Scalar>;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
  'continue-on-error'?: boolean;
  'timeout-minutes'?: number;
}

interface JobBase {
  name: string;
  needs?: string[];
  if?: string;
  permissions: Permissions;
}

/** A job that runs steps on a runner. */
export interface StepsJob extends JobBase {
  'runs-on': string;
  'timeout-minutes': number;
  environment?: { name: string; url?: string };
  strategy?: { 'fail-fast'?: boolean; matrix: Record<string, Scalar[] | Record<string, Scalar>[]> };
  container?: { image: string };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  steps: Step[];
}

/** A job that calls a reusable workflow (ours, local, or a pinned remote one). */
export interface CallJob extends JobBase {
  uses: string;
  with?: Record<string, Scalar>;
  secrets?: 'inherit' | Record<string, string>;
}

export type Job = StepsJob | CallJob;

export interface WorkflowCallInput {
  description: string;
  type: 'boolean' | 'string' | 'number';
  required: boolean;
  default?: Scalar;
}

export interface Triggers {
  pull_request?: { branches?: string[]; types?: string[] } | null;
  push?: { branches?: string[]; tags?: string[] } | null;
  merge_group?: null;
  schedule?: { cron: string }[];
  workflow_dispatch?: null | { inputs?: Record<string, WorkflowCallInput> };
  workflow_call?: { inputs?: Record<string, WorkflowCallInput>; outputs?: Record<string, { description: string; value: string }> } | null;
  branch_protection_rule?: null;
  release?: { types: string[] };
}

export interface Workflow {
  name: string;
  on: Triggers;
  permissions: Permissions;
  concurrency?: { group: string; 'cancel-in-progress': boolean | string };
  jobs: Record<string, Job>;
}

/** A workflow file we generate: repository-relative path plus the typed content. */
export interface WorkflowFile {
  path: string;
  reason: string;
  workflow: Workflow;
}
