import type { Config } from './types.js';

/** Defaults chosen for security; init may adjust them from what it detects (and asks). */
export function defaultConfig(): Config {
  return {
    version: 1,
    stages: ['code', 'build', 'package', 'test', 'release', 'deploy', 'operate'],
    hooks: {
      manager: 'git',
      preCommit: { secrets: true, sast: true, run: [] },
      prePush: { secrets: true, sast: true, tests: false, testCommand: null, requireSignedCommits: false },
    },
    protection: {
      branch: null,
      mode: 'auto',
      requiredApprovals: 'auto',
      dismissStaleReviews: true,
      requireCodeOwnerReviews: true,
      requireLastPushApproval: true,
      requireSignedCommits: true,
      requireLinearHistory: false,
      requireConversationResolution: true,
      enforceAdmins: true,
      extraRequiredChecks: [],
      bypassActors: [],
      settings: {
        dependabotAlerts: true,
        dependabotSecurityUpdates: true,
        secretScanning: true,
        secretScanningPushProtection: true,
        privateVulnerabilityReporting: true,
        workflowTokenReadOnly: true,
        actionsCanApprovePullRequests: false,
      },
    },
    scan: {
      failOn: 'high',
      allowPaths: [],
      allowValues: [],
      disableRules: [],
      rules: [],
      maxFileSize: 2 * 1024 * 1024,
      genericBlocks: false,
      sast: { enabled: true, disableRules: [], testFiles: 'low' },
    },
    ci: {
      failOnVulnerability: 'critical',
      dastTarget: 'http://localhost:8080',
      dastStartCommand: null,
      semgrep: false,
      registry: 'ghcr.io',
    },
  };
}
