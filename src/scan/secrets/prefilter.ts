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

  /** Returns a flag per rule: true when at least one of its keywords occurs in `text` (ASCII case-insensitive). */
  match(text: string): Uint8Array {
    const hits = new Uint8Array(this.ruleCount);
    const goto = this.goto;
    const outputs = this.outputs;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) c += 32;
      else if (c > 127) c = 0;
      state = goto[state * 128 + c]!;
      const o = outputs[state];
      if (o !== null) for (let k = 0; k < o!.length; k++) hits[o![k]!] = 1;
    }
    return hits;
  }
}
