/** The stages of the DevSecOps workflow, in order. */
export const STAGES = ['code', 'build', 'package', 'test', 'release', 'deploy', 'operate'] as const;
export type Stage = (typeof STAGES)[number];

export const HOOK_MANAGERS = ['husky', 'pre-commit', 'lefthook', 'git'] as const;
export type HookManager = (typeof HOOK_MANAGERS)[number];

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface AllowedValue {
  /** The literal value, or `sha256:<hex>` of it so the config need not contain the secret. */
  value: string;
  rule?: string;
  reason?: string;
  /** ISO date after which the entry stops applying. */
  expires?: string;
}

export interface CustomRule {
  id: string;
  description: string;
  severity: Severity;
  regex: string;
  keywords: string[];
  entropy?: number;
}

export interface ScanConfig {
  /** Findings at or above this severity make `scan` and the hooks fail. */
  failOn: Severity;
  /** Path globs (picomatch) never scanned. */
  allowPaths: string[];
  allowValues: AllowedValue[];
  disableRules: string[];
  rules: CustomRule[];
  /** Files larger than this many bytes are skipped (and counted). */
  maxFileSize: number;
  /** The generic "secret-looking assignment" rule blocks only when true; otherwise it warns. */
  genericBlocks: boolean;
  /** Baseline file (repository-relative) of reviewed findings that hooks and CI skip; null: none. */
  baseline: string | null;
  sast: {
    enabled: boolean;
    disableRules: string[];
    /**
     * Findings in test, example and fixture code: `low` reports them at low severity and never blocks; `skip` drops
     * them; `normal` treats them like any other code.
     */
    testFiles: 'low' | 'skip' | 'normal';
  };
}

export interface HooksConfig {
  manager: HookManager;
  preCommit: { secrets: boolean; sast: boolean; run: string[] };
  prePush: {
    secrets: boolean;
    sast: boolean;
    tests: boolean;
    testCommand: string | null;
    requireSignedCommits: boolean;
  };
}

export interface ProtectionConfig {
  /** null: the repository's default branch. */
  branch: string | null;
  mode: 'auto' | 'classic' | 'rulesets';
  /** A number is the user's choice; 'auto' is 0 for a single maintainer (GitHub forbids self-approval), else 1. */
  requiredApprovals: number | 'auto';
  dismissStaleReviews: boolean;
  requireCodeOwnerReviews: boolean;
  requireLastPushApproval: boolean;
  requireSignedCommits: boolean;
  requireLinearHistory: boolean;
  requireConversationResolution: boolean;
  enforceAdmins: boolean;
  /** Extra required status checks beyond the aggregator job the generated workflows define. */
  extraRequiredChecks: string[];
  /** Ruleset bypass actors, e.g. `{actor_type: "OrganizationAdmin", actor_id: 1}`; none by default. */
  bypassActors: { actor_type: string; actor_id: number | null; bypass_mode: 'always' | 'pull_request' }[];
  settings: {
    dependabotAlerts: boolean;
    dependabotSecurityUpdates: boolean;
    secretScanning: boolean;
    secretScanningPushProtection: boolean;
    privateVulnerabilityReporting: boolean;
    workflowTokenReadOnly: boolean;
    actionsCanApprovePullRequests: boolean;
  };
}

export interface CiConfig {
  /** Vulnerability severity that fails the build (SCA, image scan). */
  failOnVulnerability: 'critical' | 'high' | 'medium' | 'low';
  /** URL the DAST job scans after starting the service. */
  dastTarget: string;
  /** Command that starts the service for DAST; null: docker compose / image when detected. */
  dastStartCommand: string | null;
  semgrep: boolean;
  /** Container registry images are pushed to. */
  registry: string;
}

export interface Config {
  version: 1;
  stages: Stage[];
  hooks: HooksConfig;
  protection: ProtectionConfig;
  scan: ScanConfig;
  ci: CiConfig;
}
