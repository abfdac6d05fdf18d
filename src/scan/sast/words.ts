/**
 * Words a rule cannot match without: at least one of them occurs in the text of every node it matches, so a file
 * containing none of them cannot hold a match and is not parsed for that rule. Derived from the rule itself (its
 * identifier regexes and pattern tokens), never written by hand, so they cannot drift from what the rule matches.
 * Parsing costs more than the rest of SAST on ordinary code; a rule's hand-written precheck usually names its
 * sources (`req.`), and these words add its sinks (`readFile`, `sendFile`), so most files of a commit need no parse.
 */
type Rule = Record<string, unknown>;
/** A set of words; one written `\bword` must occur as a whole token (not inside a longer identifier). */
type Words = ReadonlySet<string> | undefined;

const TOKEN = '\\b';

/** Whether `text` contains the derived word (see necessaryWords), as a whole token where it must be one. */
export function containsWord(text: string, word: string): boolean {
  if (!word.startsWith(TOKEN)) return text.includes(word);
  const w = word.slice(TOKEN.length);
  for (let i = text.indexOf(w); i !== -1; i = text.indexOf(w, i + 1)) {
    if (!isIdentChar(text.charCodeAt(i - 1)) && !isIdentChar(text.charCodeAt(i + w.length))) return true;
  }
  return false;
}

/**
 * containsWord for one text and many words (every rule of a language asks about the same file): each answer is
 * kept, and whole-token words made of identifier characters are looked up in the text's set of tokens, built on
 * first use, instead of searching the text once per word.
 */
export function wordTester(text: string): (word: string) => boolean {
  const seen = new Map<string, boolean>();
  let tokens: Set<string> | undefined;
  return (word) => {
    let found = seen.get(word);
    if (found === undefined) {
      const w = word.slice(TOKEN.length);
      if (word.startsWith(TOKEN) && IDENT_ONLY.test(w)) found = (tokens ??= tokensOf(text)).has(w);
      else found = containsWord(text, word);
      seen.set(word, found);
    }
    return found;
  };
}

const IDENT_ONLY = /^[0-9A-Za-z_]+$/;

/** The maximal runs of identifier characters (isIdentChar) in TEXT. */
function tokensOf(text: string): Set<string> {
  return new Set(text.match(/[0-9A-Za-z_]+/g));
}

function isIdentChar(c: number): boolean {
  // NaN (before the start or past the end) is no identifier character
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

export function necessaryWords(rule: unknown, utils: Readonly<Record<string, unknown>> = {}): string[] | undefined {
  const words = wordsOf(rule, utils, new Set());
  return words && words.size > 0 ? [...words].sort() : undefined;
}

function wordsOf(rule: unknown, utils: Readonly<Record<string, unknown>>, inUse: Set<string>): Words {
  if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return undefined;
  const r = rule as Rule;
  // Every field of a rule object must hold at once: each one that implies words is a candidate; the best wins.
  const options: Words[] = [];
  if (typeof r.pattern === 'string') options.push(patternWords(r.pattern));
  if (typeof r.regex === 'string') options.push(regexWords(r.regex));
  if (Array.isArray(r.all)) for (const sub of r.all) options.push(wordsOf(sub, utils, inUse));
  if (Array.isArray(r.any)) options.push(union(r.any.map((sub) => wordsOf(sub, utils, inUse))));
  // A node that must have, or sit inside, or follow a match: that match is text of the same file too.
  for (const rel of ['has', 'inside', 'follows', 'precedes']) options.push(wordsOf(r[rel], utils, inUse));
  if (typeof r.matches === 'string' && !inUse.has(r.matches) && r.matches in utils) {
    inUse.add(r.matches);
    options.push(wordsOf(utils[r.matches], utils, inUse));
    inUse.delete(r.matches);
  }
  return best(options);
}

function union(sets: Words[]): Words {
  const out = new Set<string>();
  for (const s of sets) {
    if (!s) return undefined;
    for (const w of s) out.add(w);
  }
  return out;
}

/** The most selective set: its shortest word is longest (a two-letter word is found in almost any file). */
function best(options: Words[]): Words {
  let pick: Words;
  for (const o of options) {
    if (!o || o.size === 0) continue;
    if (!pick || score(o) > score(pick)) pick = o;
  }
  return pick;
}

function score(words: ReadonlySet<string>): number {
  // a whole-token word counts its `\b` too: `open` as a token is rarer than `open` anywhere
  let shortest = Infinity;
  for (const w of words) shortest = Math.min(shortest, w.length);
  return shortest * 1000 - words.size;
}

/**
 * A pattern's identifiers and keywords outside string literals and metavariables: ast-grep compares such leaves by
 * their exact text, so each is in the matched code. The longest one is kept.
 */
function patternWords(pattern: string): Words {
  const code = pattern.replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1/g, ' ').replace(/\$\$?\$?[A-Z_][A-Z0-9_]*/g, ' ');
  const ids = code.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  const longest = ids.sort((a, b) => b.length - a.length)[0];
  return longest && longest.length >= 3 ? new Set([TOKEN + longest]) : undefined;
}

/**
 * Words a regex match must contain: the literal alternatives of a regex made of literals and groups of literals
 * (`^(readFile|fs\.promises)$`, `^(console|logger)\.(log|warn)$`, `noent|NOENT`). A part that may be absent (`?`,
 * `*`) or is no literal (a class, `.`, a case-insensitive group) gives no words; of the parts that must be present,
 * the most selective wins. A literal bounded on both sides by an anchor or a non-identifier character is a whole
 * token of the node's text, and the node is a token or more, so it is a whole token of the file too.
 */
function regexWords(regex: string): Words {
  const parsed = new RegexReader(regex).alternation(0);
  return parsed.ok ? parsed.words : undefined;
}

interface Part {
  /** undefined: the part may be absent or is no literal */
  words: Words;
  /** a plain literal run (for token boundaries of its neighbours), else undefined */
  literal?: string;
  anchor?: boolean;
  /** a group whose every alternative is one plain literal: its words are exactly what it matches */
  whole?: boolean;
}

class RegexReader {
  private i = 0;
  constructor(private readonly src: string) {}

  /**
   * Alternatives up to the end or a closing parenthesis; `ok` false on anything not understood. Words are marked
   * as whole tokens only at the top level (depth 0), where the whole regex's anchors are known.
   */
  alternation(depth: number): { ok: boolean; words: Words; whole: boolean } {
    const alts: Words[] = [];
    let whole = true;
    for (;;) {
      const seq = this.sequence(depth);
      if (!seq.ok) return { ok: false, words: undefined, whole: false };
      alts.push(seq.words);
      whole &&= seq.whole;
      if (this.src[this.i] !== '|') break;
      this.i++;
    }
    return { ok: true, words: union(alts), whole };
  }

  private sequence(depth: number): { ok: boolean; words: Words; whole: boolean } {
    const fail = { ok: false, words: undefined, whole: false };
    const parts: Part[] = [];
    let run = '';
    const flush = () => {
      if (run) parts.push({ words: new Set([run]), literal: run });
      run = '';
    };
    while (this.i < this.src.length) {
      const ch = this.src[this.i]!;
      if (ch === '|' || ch === ')') break;
      if (ch === '^' || ch === '$') {
        flush();
        parts.push({ words: undefined, anchor: true });
        this.i++;
      } else if (ch === '(') {
        flush();
        this.i++;
        let literalGroup = true;
        if (this.src.startsWith('?:', this.i)) this.i += 2;
        else if (this.src[this.i] === '?') {
          // flags such as (?i-u:...): the words would be case-insensitive; read past the group, use nothing
          literalGroup = false;
          const colon = this.src.indexOf(':', this.i);
          if (colon === -1) return fail;
          this.i = colon + 1;
        }
        const inner = this.alternation(depth + 1);
        if (!inner.ok || this.src[this.i] !== ')') return fail;
        this.i++;
        const optional = this.quantifier();
        if (optional === null) return fail;
        parts.push({ words: literalGroup && !optional ? inner.words : undefined, whole: literalGroup && inner.whole });
      } else if (ch === '\\') {
        const next = this.src[this.i + 1];
        if (next === undefined) return fail;
        this.i += 2;
        if (/[A-Za-z0-9]/.test(next)) {
          // \w, \d, \b...: a class or an assertion
          flush();
          parts.push({ words: undefined });
          if (this.quantifier() === null) return fail;
        } else if (this.peekOptional()) {
          flush();
          this.quantifier();
          parts.push({ words: undefined });
        } else run += next;
      } else if ('.[]{}*+?'.includes(ch)) {
        // a class or a bare quantifier: give up on exact reading, keep what is certain so far
        return fail;
      } else if (this.src[this.i + 1] !== undefined && '?*'.includes(this.src[this.i + 1]!)) {
        flush();
        this.i += 2;
        parts.push({ words: undefined });
      } else {
        run += ch;
        this.i++;
      }
    }
    flush();
    const whole = parts.length === 1 && parts[0]!.literal !== undefined;
    const words =
      depth > 0
        ? best(parts.map((p) => p.words))
        : best(parts.map((p, k) => tokenWords(p, parts[k - 1], parts[k + 1])));
    return { ok: true, words, whole };
  }

  /** After an atom: null on an unsupported quantifier, true when the atom may be absent. */
  private quantifier(): boolean | null {
    const q = this.src[this.i];
    if (q === '?' || q === '*') {
      this.i++;
      return true;
    }
    if (q === '+') {
      this.i++;
      return false;
    }
    if (q === '{') return null;
    return false;
  }

  private peekOptional(): boolean {
    const q = this.src[this.i];
    return q === '?' || q === '*';
  }
}

/** A part's words, marked as whole tokens where its neighbours bound it (anchors, non-identifier literals). */
function tokenWords(part: Part, before: Part | undefined, after: Part | undefined): Words {
  if (!part.words) return undefined;
  if (part.literal === undefined && !part.whole) return part.words;
  const bounds = (p: Part | undefined, edge: 'first' | 'last'): boolean => {
    if (!p) return false;
    if (p.anchor) return true;
    if (p.literal === undefined) return false;
    const c = edge === 'first' ? p.literal.charCodeAt(0) : p.literal.charCodeAt(p.literal.length - 1);
    return !isIdentChar(c);
  };
  if (!bounds(before, 'last') || !bounds(after, 'first')) return part.words;
  const out = new Set<string>();
  for (const w of part.words) out.add(!w.startsWith(TOKEN) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(w) ? TOKEN + w : w);
  return out;
}
