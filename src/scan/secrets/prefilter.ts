/**
 * Keyword prefilter: one pass over the text (Aho-Corasick over ASCII, case-folded) finds every keyword present,
 * and so which rules can apply. Rules whose keywords are absent never run their regex.
 */
export interface PrefilterTables {
  /** The DFA: 128 transitions per state. */
  goto: Int32Array;
  outputs: (number[] | null)[];
}

export class KeywordPrefilter {
  private readonly goto: Int32Array;
  /** For each state, the rule indexes its keywords (and those of its suffix states) enable; null when none. */
  private readonly outputs: (number[] | null)[];
  readonly ruleCount: number;

  /** The built tables, to store (see prefilter-cache.ts) instead of building them again in every process. */
  get tables(): PrefilterTables {
    return { goto: this.goto, outputs: this.outputs };
  }

  /** A prefilter from stored tables (built from the same keywords). */
  static fromTables(ruleCount: number, tables: PrefilterTables): KeywordPrefilter {
    return new KeywordPrefilter([], { ruleCount, ...tables });
  }

  constructor(ruleKeywords: readonly (readonly string[])[], stored?: PrefilterTables & { ruleCount: number }) {
    if (stored) {
      this.ruleCount = stored.ruleCount;
      this.goto = stored.goto;
      this.outputs = stored.outputs;
      return;
    }
    this.ruleCount = ruleKeywords.length;
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
    this.goto = goto;
    this.outputs = out.map((s) => (s.size ? [...s] : null));
  }

  /**
   * The DFA as the match loop reads it: each entry is the next state's row offset (state * 128), negated when that
   * state enables rules, and upper-case columns copy lower-case ones, so the loop needs no multiply, no case folding
   * and no look-up of the outputs on most characters. Derived on first use (about 200k entries, well under 1 ms).
   */
  private fast: Int32Array | null = null;

  private fastTable(): Int32Array {
    const goto = this.goto;
    const fast = new Int32Array(goto.length);
    for (let i = 0; i < goto.length; i++) {
      const col = i & 127;
      const next = goto[col >= 65 && col <= 90 ? i + 32 : i]!;
      fast[i] = this.outputs[next] ? -(next * 128) : next * 128;
    }
    return fast;
  }

  /** Returns a flag per rule: true when at least one of its keywords occurs in `text` (ASCII case-insensitive). */
  match(text: string): Uint8Array {
    const hits = new Uint8Array(this.ruleCount);
    const outputs = this.outputs;
    // An empty keyword (a custom rule's) enables its rules at the root, which the signed table cannot say.
    if (outputs[0] && text.length > 0) for (const r of outputs[0]) hits[r] = 1;
    const fast = (this.fast ??= this.fastTable());
    let row = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let next = fast[row + (c > 127 ? 0 : c)]!;
      if (next < 0) {
        next = -next;
        const o = outputs[next >> 7]!;
        for (let k = 0; k < o.length; k++) hits[o[k]!] = 1;
      }
      row = next;
    }
    return hits;
  }
}
