import type { Severity } from '../config/types.js';

/**
 * The scan pipeline: source → detectors → filters → report.
 * A source yields Fragments; each detector turns a fragment into findings; filters drop allowed ones; a reporter writes.
 */
export interface Fragment {
  /** Path relative to the repository root (POSIX). */
  path: string;
  /** Full text of the file version being scanned (UTF-8, invalid bytes replaced). */
  text: string;
  /** Commit that introduced this content (history / push / range scans), else null. */
  commit: string | null;
  /**
   * 1-based line numbers that are new in this change (staged scan, push, history). Undefined = every line counts.
   * Detectors report only findings on these lines, so untouched code is never blamed on a commit.
   */
  addedLines?: Set<number>;
  /**
   * For fragments built from a diff's added lines (history, push, range): the file line number of each fragment
   * line (index 0 = fragment line 1). Undefined = fragment lines are file lines.
   */
  lineMap?: number[];
  /** Absolute path of a file on disk whose content is this text (files scans), for detectors that read files. */
  disk?: string;
}

export interface FlowStep {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The code at this step (first line, trimmed to 120 characters). */
  text: string;
}

export type FindingKind = 'secret' | 'sast';

export interface Finding {
  kind: FindingKind;
  rule: string;
  severity: Severity;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  endLine?: number;
  endColumn?: number;
  commit: string | null;
  message: string;
  /** Redacted form of the matched value; never the whole secret. */
  secret?: string;
  /** Stable across line shifts: rule + file + hash of the matched value. */
  fingerprint: string;
  /** What to do about it (shown in text output and SARIF help). */
  remediation?: string;
  /** SAST: the weakness (CWE-89) and OWASP Top 10 category the rule cites. */
  cwe?: string;
  owasp?: string;
  /** SAST taint rules: where the value came from, source first, sink last (a SARIF code flow). */
  flow?: FlowStep[];
  /** Found in test code: reported at low severity and never blocks (scan.sast.testFiles). */
  testCode?: boolean;
  /** Internal only (filters, baselines): never serialised. */
  match?: string;
  /** The text of the line, for inline-allow checks; never serialised. */
  lineText?: string;
}

export interface Detector {
  readonly kind: FindingKind;
  /** Fast check on the path alone (e.g. SAST only looks at languages it has rules for). */
  wants(path: string): boolean;
  detect(fragment: Fragment): Finding[] | Promise<Finding[]>;
  /** Optional: sees a batch of fragments before they are detected one by one, to share work across them. */
  prepare?(fragments: readonly Fragment[]): Promise<void>;
}
