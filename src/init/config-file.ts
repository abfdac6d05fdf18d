import { isMap, isSeq, parseDocument, type Document } from 'yaml';
import { CONFIG_FILE } from '../config/load.js';
import type { Config } from '../config/types.js';
import type { FileIntent, Rendered } from '../changes/types.js';

/** The settings init decides (from flags, prompts or detection). Everything else in the file is the user's. */
export interface InitChoices {
  stages: Config['stages'];
  manager: Config['hooks']['manager'];
  requiredApprovals: number | 'auto';
  requireSignedCommits: boolean;
  preCommitRun: string[];
  prePushTests: boolean;
  testCommand: string | null;
  /** The protected branch; null: the remote's default branch (origin/HEAD), read when needed. */
  branch: string | null;
  /** The baseline of findings already in the repository (recorded by init); null: none. */
  baseline: string | null;
}

const SCHEMA_COMMENT = 'yaml-language-server: $schema=./node_modules/create-secure-repo/schema/secure-repo.schema.json';

function freshConfig(c: InitChoices, withSchema: boolean): string {
  // The schema ships in the package: only a Node project that installs it has it in node_modules.
  return `${withSchema ? `# ${SCHEMA_COMMENT}\n` : ''}# create-secure-repo settings: the choices init made and the scan settings. Every command reads this file.
# Reference: https://www.npmjs.com/package/create-secure-repo#configuration
version: 1
# DevSecOps stages whose workflows are generated.
stages: [${c.stages.join(', ')}]
hooks:
  manager: ${c.manager}
  preCommit:
    secrets: true
    sast: true
    run: ${JSON.stringify(c.preCommitRun)}
  prePush:
    secrets: true
    sast: true
    tests: ${c.prePushTests}
    testCommand: ${c.testCommand === null ? 'null' : JSON.stringify(c.testCommand)}
    requireSignedCommits: ${c.requireSignedCommits}
protection:
  # The branch pushes are checked for and GitHub protects; null: the remote's default branch.
  branch: ${c.branch === null ? 'null' : JSON.stringify(c.branch)}
  # Approving reviews before merging. auto: 0 while you are the only person with write access (GitHub never
  # counts an author's own approval), 1 once others can review; a number is used as written.
  requiredApprovals: ${c.requiredApprovals}
  requireSignedCommits: ${c.requireSignedCommits}
scan:
  # Findings at or above this severity block commits, pushes and CI.
  failOn: high
  # Globs of paths never scanned, e.g. [test/fixtures/**].
  allowPaths: []
  # Known false positives: {value: "sha256:<hex>", rule: "...", reason: "...", expires: "YYYY-MM-DD"}.
  allowValues: []
  disableRules: []${c.baseline ? `\n  # Findings already in the repository when it was set up, reviewed: hooks and CI skip them.\n  baseline: ${JSON.stringify(c.baseline)}` : ''}
`;
}

/** Sets a value at a path only when it differs, so comments, order and the user's other keys survive. */
function setIfDifferent(doc: Document, path: string[], value: unknown): void {
  const current = doc.getIn(path);
  const currentJs =
    current && typeof current === 'object' && 'toJSON' in current
      ? (current as { toJSON(): unknown }).toJSON()
      : current;
  if (JSON.stringify(currentJs) === JSON.stringify(value)) return;
  const node = doc.createNode(value);
  if (isSeq(node) && Array.isArray(value) && value.every((v) => typeof v !== 'object')) node.flow = true;
  doc.setIn(path, node);
}

/**
 * `.secure-repo.yml`: created with comments on first run; afterwards only the keys init was explicitly asked to
 * change are updated (through the YAML Document API), and every other byte stays as the user wrote it.
 */
export function configIntent(
  choices: InitChoices,
  explicit: Set<keyof InitChoices>,
  opts: { schema: boolean } = { schema: true },
): FileIntent {
  return {
    kind: 'file',
    path: CONFIG_FILE,
    reason: 'records the stages, hook manager and protection policy; scan settings live here too',
    stage: 'code',
    render(current): Rendered {
      if (current === null) return { content: freshConfig(choices, opts.schema) };
      const doc = parseDocument(current);
      if (doc.errors.length > 0 || !isMap(doc.contents)) return { skip: 'not valid YAML; fix it and re-run' };
      const paths: Record<keyof InitChoices, string[][]> = {
        stages: [['stages']],
        manager: [['hooks', 'manager']],
        requiredApprovals: [['protection', 'requiredApprovals']],
        requireSignedCommits: [
          ['protection', 'requireSignedCommits'],
          ['hooks', 'prePush', 'requireSignedCommits'],
        ],
        preCommitRun: [['hooks', 'preCommit', 'run']],
        prePushTests: [['hooks', 'prePush', 'tests']],
        testCommand: [['hooks', 'prePush', 'testCommand']],
        branch: [['protection', 'branch']],
        baseline: [['scan', 'baseline']],
      };
      for (const key of explicit) for (const p of paths[key]) setIfDifferent(doc, p, choices[key]);
      const out = doc.toString();
      // Untouched documents are returned byte for byte (toString may normalise whitespace).
      return { content: explicit.size === 0 || out === parseDocument(current).toString() ? current : out };
    },
  };
}
