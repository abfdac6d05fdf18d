import type { Severity } from '../../config/types.js';
import { createRng, type Rng } from './random.js';

/**
 * A secret rule is data: what it matches, the keywords that must appear in the text before its regex runs, and
 * the examples it must classify correctly (checked by test/scan/rules.test.ts). `sample` mints a format-valid
 * random credential in the context the rule needs; examples, the labeled corpus and self-tests use it.
 */
export interface SecretRule {
  id: string;
  description: string;
  severity: Severity;
  /**
   * specific: a provider-unique shape (prefix, checksum); contextual: a shape that needs a provider name nearby;
   * generic: a secret-looking value assigned to a secret-looking name. When findings overlap, the more specific wins.
   */
  tier: 'specific' | 'contextual' | 'generic';
  /** Global regex; capture group `secretGroup` (default 1) is the secret. Bounded quantifiers only (no ReDoS). */
  regex: RegExp;
  secretGroup?: number;
  /**
   * Lowercase literals; at least one must occur in the text for the regex to run. Empty only for a rule confined to
   * files by name (`skipPaths` and `samplePath`): the path is its keyword.
   */
  keywords: string[];
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** Extra validation (checksums, decoded structure). False means "not a live credential": not reported. */
  validate?: (secret: string, match: RegExpExecArray, path: string) => boolean;
  /** Paths (root-relative) where this rule does not run: lockfiles, source maps, minified bundles. */
  skipPaths?: RegExp;
  /** Matches on lines longer than this are ignored (minified code, embedded data). */
  maxLineLength?: number;
  /** Skip the shared placeholder check (private keys validate their own body). */
  ownPlaceholderCheck?: boolean;
  /** Runs only on decoded Kubernetes Secret values (`key: value`) that no other rule recognised. */
  decodedOnly?: boolean;
  examples: { positive: string[]; negative: string[] };
  sample: (rng: Rng) => string;
  /** Line of a multi-line sample (0-based) where the finding lands, when not the first (a kubeconfig's token). */
  sampleLine?: number;
  /** For a rule that runs on some files alone (`config/master.key`): the path its examples and samples are read at. */
  samplePath?: string;
  /** Where to rotate it, shown with the finding. */
  rotate?: string;
}

/** Piece of a token shape: a literal, one of several literals, or `[class, min, max]` random characters. */
export type Part =
  string | { oneOf: string[] } | { re: string; text: string } | [cls: string, min: number, max?: number];

export const ALNUM = 'A-Za-z0-9';
export const HEX = 'a-f0-9';
export const B64 = 'A-Za-z0-9+/';
export const B64URL = 'A-Za-z0-9_-';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** Expands a character-class body such as `A-Za-z0-9_-` into its characters (for sampling). */
function expandClass(cls: string): string {
  let out = '';
  for (let i = 0; i < cls.length; i++) {
    const c = cls[i]!;
    if (c === '\\' && i + 1 < cls.length) {
      out += cls[++i];
    } else if (cls[i + 1] === '-' && i + 2 < cls.length) {
      const end = cls.charCodeAt(i + 2);
      for (let code = cls.charCodeAt(i); code <= end; code++) out += String.fromCharCode(code);
      i += 2;
    } else out += c;
  }
  return out;
}

function partsSource(parts: Part[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return escapeRe(p);
      if (!Array.isArray(p)) return 're' in p ? p.re : `(?:${p.oneOf.map(escapeRe).join('|')})`;
      const [cls, min, max] = p;
      return `[${cls}]{${min}${max === undefined ? '' : max === min ? '' : `,${max}`}}`;
    })
    .join('');
}

function sampleParts(parts: Part[], rng: Rng): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (!Array.isArray(p)) return 're' in p ? p.text : rng.pick(p.oneOf);
      const [cls, min, max] = p;
      return rng.chars(expandClass(cls), rng.int(min, Math.min(max ?? min, min + 40)));
    })
    .join('');
}

/** Characters that may not follow a token whose last part is `cls` (so a longer run is not cut into a match). */
function tail(parts: Part[]): string {
  const last = parts[parts.length - 1];
  const cls = Array.isArray(last) ? last[0] : ALNUM;
  return `(?![${cls}${cls.includes('_') ? '' : '_'}])`;
}

function literalKeywords(parts: Part[]): string[] {
  const first = parts[0];
  if (typeof first === 'string') return [first.toLowerCase()];
  if (first && !Array.isArray(first) && 'oneOf' in first) return first.oneOf.map((s) => s.toLowerCase());
  return [];
}

type Common = Pick<SecretRule, 'id' | 'description' | 'severity'> &
  Partial<Pick<SecretRule, 'entropy' | 'validate' | 'rotate' | 'keywords'>> & {
    positive?: string[];
    negative?: string[];
  };

/** Copies the optional checks (entropy floor, checksum validation, rotation advice) that a rule declares. */
function withOptional(rule: SecretRule, o: Common): void {
  if (o.entropy !== undefined) rule.entropy = o.entropy;
  if (o.validate) rule.validate = o.validate;
  if (o.rotate) rule.rotate = o.rotate;
}

/** Fixed seed per rule id, so examples are the same on every run. */
export function seedOf(id: string): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Shortens the random tail of a token below its minimum length: a look-alike that must not match. */
function truncated(parts: Part[], rng: Rng): string | null {
  const idx = parts.length - 1;
  const last = parts[idx];
  if (!Array.isArray(last) || last[1] < 8) return null;
  const short: Part[] = [...parts.slice(0, idx), [last[0], Math.floor(last[1] / 2)]];
  return sampleParts(short, rng);
}

/** A provider token recognisable on its own: a literal prefix (or unique structure) and a fixed alphabet. */
export function tokenRule(
  o: Common & { parts: Part[]; sample?: (rng: Rng) => string; caseInsensitive?: boolean; lead?: string },
): SecretRule {
  // `lead`: what may come right before the token besides a non-word character (Telegram's `/bot<token>` URLs).
  const before = o.lead ? `(?:(?<=${o.lead})|(?<![A-Za-z0-9_]))` : '(?<![A-Za-z0-9_])';
  const source = `${before}(${partsSource(o.parts)})${tail(o.parts)}`;
  const sample = o.sample ?? ((rng: Rng) => sampleParts(o.parts, rng));
  const rule: SecretRule = {
    id: o.id,
    description: o.description,
    severity: o.severity,
    tier: 'specific',
    regex: new RegExp(source, o.caseInsensitive ? 'gi' : 'g'),
    keywords: o.keywords ?? literalKeywords(o.parts),
    examples: { positive: [], negative: [] },
    sample,
  };
  withOptional(rule, o);
  return examplesLater(rule, () => {
    const r = createRng(seedOf(o.id));
    const short = truncated(o.parts, r);
    return {
      positive: [sample(r), `token: "${sample(r)}"`, ...(o.positive ?? [])],
      negative: [...(short ? [short] : []), ...(o.negative ?? [])],
    };
  });
}

/** Assignment forms the contextual and generic rules recognise, used to build samples in every file style. */
export const ASSIGNMENT_STYLES: ((name: string, value: string) => string)[] = [
  (n, v) => `${n.toUpperCase()}=${v}`,
  (n, v) => `${n}: "${v}"`,
  (n, v) => `"${n}": "${v}",`,
  (n, v) => `${n} = '${v}'`,
  (n, v) => `export ${n.toUpperCase()}="${v}"`,
];

/**
 * A credential with no unique shape of its own (32 hex characters, a UUID) recognised by the provider's name in
 * the key it is assigned to: `DATADOG_API_KEY=…`, `"heroku_api_key": "…"`.
 */
export function assignedRule(
  o: Common & { names: string; sampleNames: string[]; value: Part[]; keywords: string[] },
): SecretRule {
  const source =
    // An optional backslash before each quote: the same assignment inside a JSON string (a notebook cell).
    `(?:${o.names})[A-Za-z0-9_.-]{0,24}\\\\?["'\\]]?\\s{0,4}(?::=|=>|=|:)\\s{0,4}\\\\?["'\`]?(${partsSource(o.value)})(?![A-Za-z0-9_+/=-])`;
  const sample = (rng: Rng) => rng.pick(ASSIGNMENT_STYLES)(rng.pick(o.sampleNames), sampleParts(o.value, rng));
  const rule: SecretRule = {
    id: o.id,
    description: o.description,
    severity: o.severity,
    tier: 'contextual',
    regex: new RegExp(source, 'gi'),
    keywords: o.keywords,
    examples: { positive: [], negative: [] },
    sample,
  };
  withOptional(rule, o);
  return examplesLater(rule, () => {
    const r = createRng(seedOf(o.id));
    return {
      positive: [sample(r), sample(r), ...(o.positive ?? [])],
      // The same value under an unrelated name is not this provider's credential.
      negative: [`unrelated_setting = "${sampleParts(o.value, r)}"`, ...(o.negative ?? [])],
    };
  });
}

/**
 * A rule's examples, built on first use (tests, doctor), not when the rules load: the hook path loads them on every
 * commit, and minting sample keys then cost 4 ms. BUILD returns the examples, or fills in `rule.examples` (the
 * literal's own lists, for a rule written by hand) and returns nothing.
 */
export function examplesLater<R extends SecretRule>(rule: R, build: () => SecretRule['examples'] | void): R {
  let value = rule.examples;
  let built = false;
  Object.defineProperty(rule, 'examples', {
    get: () => {
      if (!built) {
        built = true;
        value = build() ?? value;
      }
      return value;
    },
    set: (v: SecretRule['examples']) => {
      built = true;
      value = v;
    },
    enumerable: true,
    configurable: true,
  });
  return rule;
}

/** A rule written by hand (private keys, URLs, JWTs, generic): examples built by the module that defines it. */
export function customRule(rule: SecretRule): SecretRule {
  return rule;
}
