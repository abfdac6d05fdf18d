/**
 * Merge commits come as combined diffs (`git log --cc`): one prefix column per parent, so a line that carries `+`
 * in every column is in none of the parents. That is exactly what a merge itself wrote (a conflict resolution, or
 * content slipped into a clean merge); everything else was already in a parent and is reported there. Hunks
 * where the result matches some parent are left out by git, which keeps this cheap.
 */

export interface CombinedAdditions {
  /** Text of the merge-only lines, in file order. */
  lines: string[];
  /** Their line numbers in the merge result. */
  numbers: number[];
  /** Bytes of patch text they came from (for the size limit). */
  bytes: number;
}

/** `@@@ -a,b -c,d +e,f @@@` (one `-` range per parent): the parent count and the first result line. */
function parseCombinedHeader(line: string): { parents: number; start: number } | null {
  const m = /^(@{3,}) (?:-\d+(?:,\d+)? )+\+(\d+)(?:,\d+)? @{3,}/.exec(line);
  return m ? { parents: m[1]!.length - 1, start: Number(m[2]) } : null;
}

/** The merge-only lines of one file's combined-diff hunks, `text[start, end)` beginning at the first hunk. */
export function combinedAdditions(text: string, start: number, end: number): CombinedAdditions {
  const out: CombinedAdditions = { lines: [], numbers: [], bytes: 0 };
  let parents = 0;
  let lineNo = 0;
  for (let q = start; q < end;) {
    const nl = text.indexOf('\n', q);
    const e = nl === -1 || nl >= end ? end : nl + 1;
    const line = text.slice(q, e === end && text.charCodeAt(e - 1) !== 10 ? e : e - 1);
    q = e;
    if (line.startsWith('@@@')) {
      const h = parseCombinedHeader(line);
      if (!h) break;
      parents = h.parents;
      lineNo = h.start;
      continue;
    }
    if (parents === 0 || line.charCodeAt(0) === 92 /* \ no newline marker */) continue;
    const prefix = line.slice(0, parents);
    if (prefix.includes('-')) continue; // a parent's line the result dropped
    if (!prefix.includes(' ')) {
      out.lines.push(line.slice(parents));
      out.numbers.push(lineNo);
      out.bytes += line.length + 1;
    }
    lineNo++;
  }
  return out;
}

/** Groups merge-only lines into runs of consecutive lines: fragment parts and the line map, as for plain hunks. */
export function combinedRuns(a: CombinedAdditions, parts: string[], map: number[]): void {
  let runStart = 0;
  for (let k = 1; k <= a.lines.length; k++) {
    if (k < a.lines.length && a.numbers[k] === a.numbers[k - 1]! + 1) continue;
    if (parts.length > 0) map.push(a.numbers[runStart]!);
    parts.push(a.lines.slice(runStart, k).join('\n'));
    for (let i = runStart; i < k; i++) map.push(a.numbers[i]!);
    runStart = k;
  }
}
