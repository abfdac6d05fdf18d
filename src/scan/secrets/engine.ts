import type { CustomRule, ScanConfig, Severity } from '../../config/types.js';
import { CliError } from '../../core/errors.js';
import { lineAllows, previousLineAllows } from '../filters/inline-allow.js';
import { fingerprintOf } from '../fingerprint.js';
import type { Detector, Finding, Fragment } from '../types.js';
import { anchorFor, eachAnchoredMatch, type Anchor } from './anchor.js';
import { k8sSecretDataValues } from './encoded.js';
import { shannonEntropy } from './entropy.js';
import { isPlaceholder } from './placeholders.js';
import type { KeywordPrefilter } from './prefilter.js';
import { prefilterFor } from './prefilter-cache.js';
import { redact } from './redact.js';
import type { SecretRule } from './rule.js';
import { BUILTIN_RULES } from './rules/index.js';

/** The rules that only warn unless `scan.genericBlocks` is set. */
const GENERIC_RULE_IDS = new Set(['generic-secret', 'http-bearer-token']);

const TIER_RANK = { specific: 3, contextual: 2, generic: 1 } as const;
const MAX_LINE_TEXT = 2000;
const DEFAULT_REMEDIATION =
  'Rotate the credential at its provider first (assume it is compromised), then remove it from the code and load it from the environment or a secrets manager.';

export type EngineSettings = Pick<ScanConfig, 'disableRules' | 'rules' | 'genericBlocks'>;

function customToRule(c: CustomRule): SecretRule {
  let regex: RegExp;
  try {
    regex = new RegExp(c.regex, 'g');
  } catch (err) {
    throw new CliError(
      `custom rule "${c.id}" in .secure-repo.yml has an invalid regex: ${(err as Error).message}.`,
      'Fix scan.rules in .secure-repo.yml.',
    );
  }
  const rule: SecretRule = {
    id: c.id,
    description: c.description ?? `Custom rule ${c.id}`,
    severity: c.severity ?? 'high',
    tier: 'specific',
    regex,
    // A custom regex with no group reports the whole match.
    secretGroup: new RegExp(`${c.regex}|`).exec('')!.length > 1 ? 1 : 0,
    keywords: (c.keywords ?? []).map((k) => k.toLowerCase()),
    examples: { positive: [], negative: [] },
    sample: () => '',
  };
  if (c.entropy !== undefined) rule.entropy = c.entropy;
  return rule;
}

/** Compiles the active rule set: built-ins minus disabled ones, plus the config's custom rules. */
export function activeRules(settings: EngineSettings): SecretRule[] {
  const disabled = new Set(settings.disableRules);
  const rules: SecretRule[] = [];
  for (const r of BUILTIN_RULES) {
    if (disabled.has(r.id)) continue;
    const severity: Severity = settings.genericBlocks && GENERIC_RULE_IDS.has(r.id) ? 'high' : r.severity;
    rules.push(severity === r.severity ? r : { ...r, severity });
  }
  for (const c of settings.rules ?? []) if (!disabled.has(c.id)) rules.push(customToRule(c));
  return rules;
}

interface Candidate {
  rule: SecretRule;
  start: number;
  end: number;
  secret: string;
}

/** Offsets of line starts, built once per fragment and only when something matched. */
function lineStarts(text: string): number[] {
  const starts = [0];
  let i = text.indexOf('\n');
  while (i !== -1) {
    starts.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo; // 0-based
}

function lineText(text: string, starts: number[], line: number): string {
  const from = starts[line]!;
  const next = starts[line + 1];
  const to = next === undefined ? text.length : next - 1;
  return text.slice(from, to).replace(/\r$/, '');
}

export class SecretEngine implements Detector {
  readonly kind = 'secret' as const;
  readonly rules: SecretRule[];
  private readonly prefilter: KeywordPrefilter;
  private readonly alwaysOn: number[];
  private readonly decodedOnly: SecretRule[];
  /** A rule without keywords runs on every text its paths allow: those files cannot be skipped undecoded. */
  private readonly mustDecode: boolean;
  /**
   * A keyword within "secret" (the generic rule's) flags every text a Kubernetes Secret manifest is in, so a text
   * without any keyword cannot hold one either.
   */
  private readonly secretIsKeyword: boolean;

  constructor(settings: EngineSettings) {
    this.rules = activeRules(settings);
    this.prefilter = prefilterFor(this.rules.map((r) => r.keywords));
    this.alwaysOn = this.rules.flatMap((r, i) => (r.keywords.length === 0 && !r.decodedOnly ? [i] : []));
    this.decodedOnly = this.rules.filter((r) => r.decodedOnly);
    this.mustDecode = this.alwaysOn.length > 0;
    this.secretIsKeyword = this.rules.some((r) => !r.decodedOnly && r.keywords.some((k) => 'secret'.includes(k)));
  }

  wants(): boolean {
    return true;
  }

  /**
   * Which rules a file's UTF-8 bytes can enable, found before decoding them; null when no rule can match anything
   * in them (no keyword, no rule without keywords, no Kubernetes Secret), so the file need not even be decoded.
   */
  rulesFor(path: string, bytes: Buffer): Uint8Array | null {
    const hits = this.prefilter.matchBytes(bytes);
    if (this.mustDecode && this.alwaysOn.some((i) => !this.rules[i]!.skipPaths?.test(path))) return hits;
    for (let i = 0; i < hits.length; i++) if (hits[i] !== 0) return hits;
    return this.secretIsKeyword || !bytes.includes('Secret') ? null : hits;
  }

  /**
   * Matches every applicable rule against the text: candidates before line mapping and suppression. `hits` is the
   * prefilter's answer when the caller has it already (see rulesFor).
   */
  candidates(text: string, path: string, given?: Uint8Array): Candidate[] {
    const hits = given ?? this.prefilter.match(text);
    for (const i of this.alwaysOn) hits[i] = 1;
    const found: Candidate[] = [];
    for (let i = 0; i < hits.length; i++) {
      if (hits[i] === 0) continue;
      const rule = this.rules[i]!;
      if (rule.decodedOnly || rule.skipPaths?.test(path)) continue;
      this.run(rule, text, path, found);
    }
    // A k8s Secret's base64 values: the rules run on `key: decoded`, a finding covers the encoded text. A value
    // no rule recognises is still a secret (a Secret holds nothing else): the decoded-only rules report it.
    for (const v of k8sSecretDataValues(text)) {
      const entry = `${v.key}: ${v.decoded}`;
      // A known shape names it; the generic rule's "secret-looking" guess adds nothing to what a Secret says.
      const inner = this.candidates(entry, path).filter((c) => c.rule.tier !== 'generic');
      if (inner.length === 0) for (const rule of this.decodedOnly) this.run(rule, entry, path, inner);
      if (inner.length === 0) continue;
      // What the decoded value is replaces what its base64 looked like (a generic "secret-looking" match).
      for (let k = found.length - 1; k >= 0; k--)
        if (found[k]!.start >= v.start && found[k]!.end <= v.end) found.splice(k, 1);
      for (const c of inner) found.push({ rule: c.rule, start: v.start, end: v.end, secret: c.secret });
    }
    return resolveOverlaps(found);
  }

  private run(rule: SecretRule, text: string, path: string, found: Candidate[]): void {
    const onMatch = (m: RegExpExecArray): void => {
      const secret = m[rule.secretGroup ?? 1] ?? m[0];
      if (!secret) return;
      if (!this.accept(rule, secret, m, path)) return;
      const start = m.index + Math.max(0, m[0].lastIndexOf(secret));
      if (rule.maxLineLength !== undefined && lineLongerThan(text, start, rule.maxLineLength)) return;
      found.push({ rule, start, end: start + secret.length, secret });
    };
    const anchor = anchorOf(rule);
    if (anchor) {
      eachAnchoredMatch(anchor, text, onMatch);
      return;
    }
    const re = rule.regex;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      onMatch(m);
    }
  }

  private accept(rule: SecretRule, secret: string, m: RegExpExecArray, path: string): boolean {
    if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return false;
    if (!rule.ownPlaceholderCheck) {
      const lower = secret.toLowerCase();
      const prefix = rule.tier === 'specific' ? rule.keywords.find((k) => lower.startsWith(k)) : undefined;
      if (isPlaceholder(prefix ? secret.slice(prefix.length) : secret)) return false;
    }
    if (rule.validate && !rule.validate(secret, m, path)) return false;
    return true;
  }

  /** A whole file's findings from its UTF-8 bytes: decoded only when some rule can match. */
  detectBytes(path: string, bytes: Buffer): Finding[] {
    const hits = this.rulesFor(path, bytes);
    return hits ? this.detect({ path, text: bytes.toString('utf8'), commit: null }, hits) : [];
  }

  detect(fragment: Fragment, hits?: Uint8Array): Finding[] {
    const { text } = fragment;
    const cands = this.candidates(text, fragment.path, hits);
    if (cands.length === 0) return [];
    const starts = lineStarts(text);
    const findings: Finding[] = [];
    for (const c of cands) {
      const line0 = lineOf(starts, c.start);
      const endLine0 = lineOf(starts, Math.max(c.start, c.end - 1));
      if (fragment.addedLines) {
        let added = false;
        for (let l = line0; l <= endLine0 && !added; l++) added = fragment.addedLines.has(l + 1);
        if (!added) continue;
      }
      const lt = lineText(text, starts, line0);
      if (lineAllows(lt)) continue;
      if (line0 > 0 && previousLineAllows(lineText(text, starts, line0 - 1))) continue;
      const map = fragment.lineMap;
      const line = map ? (map[line0] ?? line0 + 1) : line0 + 1;
      const endLine = map ? (map[endLine0] ?? endLine0 + 1) : endLine0 + 1;
      findings.push({
        kind: 'secret',
        rule: c.rule.id,
        severity: c.rule.severity,
        file: fragment.path,
        line,
        column: c.start - starts[line0]! + 1,
        endLine,
        endColumn: c.end - starts[endLine0]! + 1,
        commit: fragment.commit,
        message: c.rule.description,
        secret: redact(c.secret),
        fingerprint: fingerprintOf(c.rule.id, fragment.path, c.secret),
        remediation: c.rule.rotate ? `${c.rule.rotate} Then remove it from the code.` : DEFAULT_REMEDIATION,
        match: c.secret,
        lineText: lt.length > MAX_LINE_TEXT ? lt.slice(0, MAX_LINE_TEXT) : lt,
      });
    }
    return findings;
  }
}

/** Each rule's literal anchor (see anchor.ts), worked out on its first run: rules are shared by every engine. */
const anchors = new WeakMap<SecretRule, Anchor | null>();

function anchorOf(rule: SecretRule): Anchor | null {
  let a = anchors.get(rule);
  if (a === undefined) {
    a = anchorFor(rule.regex);
    anchors.set(rule, a);
  }
  return a;
}

function lineLongerThan(text: string, offset: number, max: number): boolean {
  const from = text.lastIndexOf('\n', offset) + 1;
  const nl = text.indexOf('\n', offset);
  const to = nl === -1 ? text.length : nl;
  return to - from > max;
}

/** Where findings overlap, the more specific rule wins (a GitHub token is not also a "generic secret"). */
function resolveOverlaps(found: Candidate[]): Candidate[] {
  if (found.length < 2) return found;
  found.sort((a, b) => a.start - b.start || TIER_RANK[b.rule.tier] - TIER_RANK[a.rule.tier]);
  const keep: Candidate[] = [];
  for (const c of found) {
    let dominated = false;
    // Sorted by start: only recent candidates can overlap (a bounded look-back keeps this linear).
    for (let k = keep.length - 1; k >= 0 && k >= keep.length - 64; k--) {
      const o = keep[k]!;
      if (o.start < c.end && c.start < o.end && TIER_RANK[o.rule.tier] > TIER_RANK[c.rule.tier]) {
        dominated = true;
        break;
      }
    }
    if (dominated) continue;
    // A later, more specific candidate removes less specific ones it overlaps.
    for (let k = keep.length - 1; k >= 0 && k >= keep.length - 64; k--) {
      const o = keep[k]!;
      if (o.start < c.end && c.start < o.end && TIER_RANK[c.rule.tier] > TIER_RANK[o.rule.tier]) keep.splice(k, 1);
    }
    keep.push(c);
  }
  return keep;
}
