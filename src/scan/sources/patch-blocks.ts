import { startsWithAt } from './fragments.js';

/** Byte of the line that starts each commit in the scan's `git log` output (`--format=<mark>%H …`). */
export const COMMIT_MARK = '\x01';

// Byte patterns of the patch (ASCII: never part of a UTF-8 sequence, so they are found where the text has them).
export const NL_MARK = Buffer.from(`\n${COMMIT_MARK}`);
export const DIFF = Buffer.from('diff --');
export const NL_DIFF = Buffer.from('\ndiff --');
const NL = 10;

/**
 * One buffer of consecutive chunks. Chunks read into the same buffer one after the other (see git-output.ts) lie
 * side by side in memory and are joined without a copy.
 */
function join(parts: Buffer[], bytes: number): Buffer {
  if (parts.length === 1) return parts[0]!;
  const first = parts[0]!;
  let next = first.byteOffset + first.length;
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.buffer !== first.buffer || p.byteOffset !== next) return Buffer.concat(parts, bytes);
    next += p.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, bytes);
}

/**
 * How far back from a chunk's end a boundary is looked for. Sections are a few kilobytes, so one is nearly always
 * found in the last few; inside a large file, searching whole chunks (twice, from the end) cost more than the rest
 * of the cutting. A chunk with no boundary near its end waits for the next one.
 */
const TAIL_BYTES = 64 * 1024;

/**
 * Where the last commit (its marker line) or file section (`diff --`) that starts in the chunk's tail begins, or
 * -1. A chunk that starts one just after a newline counts it at 0. A commit marker can follow the last file
 * boundary only where commits had no diff.
 */
function lastBoundary(chunk: Buffer, afterNewline: boolean): number {
  const from = Math.max(0, chunk.length - TAIL_BYTES);
  const tail = from === 0 ? chunk : chunk.subarray(from);
  const d = tail.lastIndexOf(NL_DIFF);
  let m = d === -1 ? tail.lastIndexOf(NL_MARK) : tail.indexOf(NL_MARK, d + 1);
  for (let k = m; k !== -1; k = tail.indexOf(NL_MARK, k + 1)) m = k;
  const at = Math.max(d, m);
  if (at !== -1) return from + at + 1;
  if (from === 0 && afterNewline && (chunk[0] === 1 || startsWithAt(chunk, 0, DIFF))) return 0;
  return -1;
}

/**
 * git's patch output as blocks of complete sections: each block ends where a commit or a file section begins, so
 * it holds the rest of one commit and then whole commits or file sections. Everything before a chunk's last boundary
 * is handed on at once, while git writes on: waiting for whole commits left the scan idle through a vendoring commit
 * of tens of megabytes and then busy long after git had ended (a third of gin's scan). Output held back with no
 * boundary seen (one huge file, or a boundary split between two reads) is joined and searched again past
 * `maxPending` bytes, and after that only once as much again has come, so copies stay linear in the file's size.
 */
export async function* patchBlocks(
  chunks: AsyncIterable<Buffer>,
  maxPending: number,
): AsyncGenerator<Buffer, void, undefined> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let nextCut = maxPending;
  let endsWithNewline = false;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    const cut = lastBoundary(chunk, endsWithNewline);
    endsWithNewline = chunk[chunk.length - 1] === NL;
    if (cut === -1) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes > nextCut) {
        const whole = join(pending, pendingBytes);
        const at = Math.max(whole.lastIndexOf(NL_DIFF), whole.lastIndexOf(NL_MARK));
        if (at > 0) {
          pending = [whole.subarray(at + 1)];
          pendingBytes = whole.length - at - 1;
          nextCut = maxPending;
          yield whole.subarray(0, at + 1);
        } else {
          pending = [whole];
          nextCut = pendingBytes * 2;
        }
      }
      continue;
    }
    // Only the pending part and the chunk's head up to the cut are joined (a copy only where they are not already
    // side by side); the incomplete section after the cut waits for the next chunk.
    const head = pendingBytes + cut > 0 ? join([...pending, chunk.subarray(0, cut)], pendingBytes + cut) : null;
    pending = [chunk.subarray(cut)];
    pendingBytes = chunk.length - cut;
    nextCut = maxPending;
    if (head) yield head;
  }
  if (pendingBytes > 0) yield join(pending, pendingBytes);
}
