/**
 * Keyword prefilter: one pass over the text (Aho-Corasick over ASCII, case-folded) finds every keyword present,
 * and so which rules can apply. Rules whose keywords are absent never run their regex.
 */
export interface PrefilterTables {
  /** Character class of each byte or Latin-1 code unit (256 entries): 0 for those in no keyword. */
  classes: Uint8Array;
  /** Number of classes: the width of a row of `next`. */
  width: number;
  /**
   * The DFA, one row of `width` entries per state: each entry is the next state's row offset (state * width),
   * negated when that state enables rules. The loop needs no multiply and looks at the outputs only on a match.
   */
  next: Int32Array;
  outputs: (number[] | null)[];
}

export class KeywordPrefilter {
  private readonly classes: Uint8Array;
  private readonly next: Int32Array;
  private readonly width: number;
  /** For each state, the rule indexes its keywords (and those of its suffix states) enable; null when none. */
  private readonly outputs: (number[] | null)[];
  readonly ruleCount: number;

  /** The built tables, to store (see prefilter-cache.ts) instead of building them again in every process. */
  get tables(): PrefilterTables {
    return { classes: this.classes, width: this.width, next: this.next, outputs: this.outputs };
  }

  /** A prefilter from stored tables (built from the same keywords). */
  static fromTables(ruleCount: number, tables: PrefilterTables): KeywordPrefilter {
    return new KeywordPrefilter([], { ruleCount, ...tables });
  }

  constructor(ruleKeywords: readonly (readonly string[])[], stored?: PrefilterTables & { ruleCount: number }) {
    const t = stored ?? build(ruleKeywords);
    this.ruleCount = stored ? stored.ruleCount : ruleKeywords.length;
    this.classes = t.classes;
    this.width = t.width;
    this.next = t.next;
    this.outputs = t.outputs;
  }

  /** The classes for every UTF-16 code unit (64 KB), made on the first match of a string: no range test per char. */
  private wide: Uint8Array | null = null;

  /** Returns a flag per rule: true when at least one of its keywords occurs in `text` (ASCII case-insensitive). */
  match(text: string): Uint8Array {
    const hits = this.start(text.length);
    const { next, outputs, width } = this;
    let classes = this.wide;
    if (classes === null) {
      classes = this.wide = new Uint8Array(65536);
      classes.set(this.classes.subarray(0, 256));
    }
    let row = 0;
    // (lengths read once: a Buffer's length is a getter, and reading it every time costs a quarter of the loop)
    const len = text.length;
    for (let i = 0; i < len; i++) {
      let n = next[row + classes[text.charCodeAt(i)]!]!;
      if (n < 0) {
        n = -n;
        const o = outputs[n / width]!;
        for (let k = 0; k < o.length; k++) hits[o[k]!] = 1;
      }
      row = n;
    }
    return hits;
  }

  /**
   * The same flags from UTF-8 bytes, before they are decoded: ASCII bytes are the text's ASCII characters, and any
   * other character (every byte of it) resets the automaton as it does in `match`.
   */
  matchBytes(bytes: Uint8Array): Uint8Array {
    const hits = this.start(bytes.length);
    const { classes, next, outputs, width } = this;
    let row = 0;
    const len = bytes.length;
    for (let i = 0; i < len; i++) {
      let n = next[row + classes[bytes[i]!]!]!;
      if (n < 0) {
        n = -n;
        const o = outputs[n / width]!;
        for (let k = 0; k < o.length; k++) hits[o[k]!] = 1;
      }
      row = n;
    }
    return hits;
  }

  private start(length: number): Uint8Array {
    const hits = new Uint8Array(this.ruleCount);
    // An empty keyword (a custom rule's) enables its rules at the root, which the signed table cannot say.
    const root = this.outputs[0];
    if (root && length > 0) for (const r of root) hits[r] = 1;
    return hits;
  }
}

function build(ruleKeywords: readonly (readonly string[])[]): PrefilterTables {
  const trie: Map<number, number>[] = [new Map<number, number>()];
  const out: Set<number>[] = [new Set()];
  ruleKeywords.forEach((keywords, ruleIndex) => {
    for (const raw of keywords) {
      const kw = raw.toLowerCase();
      let state = 0;
      for (let i = 0; i < kw.length; i++) {
        const c = kw.charCodeAt(i) & 0x7f;
        let next = trie[state]!.get(c);
        if (next === undefined) {
          next = trie.length;
          trie.push(new Map());
          out.push(new Set());
          trie[state]!.set(c, next);
        }
        state = next;
      }
      out[state]!.add(ruleIndex);
    }
  });
  // Breadth-first failure links, folded into a full transition table (a DFA) so matching never backtracks.
  const n = trie.length;
  const goto = new Int32Array(n * 128);
  const fail = new Int32Array(n);
  const queue: number[] = [];
  for (let c = 0; c < 128; c++) {
    const next = trie[0]!.get(c);
    goto[c] = next ?? 0;
    if (next !== undefined) queue.push(next);
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi]!;
    for (const r of out[fail[s]!]!) out[s]!.add(r);
    for (let c = 0; c < 128; c++) {
      const next = trie[s]!.get(c);
      if (next !== undefined) {
        fail[next] = goto[fail[s]! * 128 + c]!;
        goto[s * 128 + c] = next;
        queue.push(next);
      } else {
        goto[s * 128 + c] = goto[fail[s]! * 128 + c]!;
      }
    }
  }
  const outputs = out.map((s) => (s.size ? [...s] : null));
  // Characters in no keyword all behave as NUL does (back towards the root): they share class 0, and upper case
  // shares the lower-case class. Some 50 classes instead of 128 columns keep the table small enough for the cache.
  const classes = new Uint8Array(256);
  const columnOf: number[] = [0];
  for (let c = 1; c < 128; c++) {
    const lower = c >= 65 && c <= 90 ? c + 32 : c;
    if (lower !== c) continue;
    let differs = false;
    for (let s = 0; s < n && !differs; s++) differs = goto[s * 128 + c] !== goto[s * 128];
    if (differs) {
      classes[c] = columnOf.length;
      columnOf.push(c);
    }
  }
  for (let c = 65; c <= 90; c++) classes[c] = classes[c + 32]!;
  const width = columnOf.length;
  const next = new Int32Array(n * width);
  for (let s = 0; s < n; s++) {
    for (let k = 0; k < width; k++) {
      const to = goto[s * 128 + columnOf[k]!]!;
      next[s * width + k] = outputs[to] ? -(to * width) : to * width;
    }
  }
  return { classes, width, next, outputs };
}
