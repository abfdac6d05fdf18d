import type { Fragment } from '../types.js';
import { readBlobs } from './blobs.js';

/**
 * A commit that regenerates a test key rewrites the body of a PEM, OpenSSH or PuTTY block while its BEGIN/END lines
 * stay, so the added lines of the diff never hold a whole key and no rule can match them. Such hunks are noted
 * while the history streams by; afterwards the new blob of each is read and its key blocks are scanned whole,
 * reporting only blocks that the commit's added lines touch.
 */
export interface KeyBlockCandidate {
  commit: string;
  path: string;
  /** The new version's blob (from the diff's `index old..new` line, `--full-index`). */
  blob: string;
  /** File line numbers the commit added. */
  added: Set<number>;
}

/** A line of key body: PEM and OpenSSH bodies are 64 or 70 base64 characters a line, PuTTY's 64. */
const BODY_LINE = /^[A-Za-z0-9+/]{40,76}={0,2}\r?$/m;
const WHOLE_BLOCK =
  /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END |PuTTY-User-Key-File-\d[\s\S]*?Private-MAC:/;

/** True when added text looks like part of a key body without a whole block in it (the cheap test on every hunk). */
export function looksLikePartialKeyBody(added: string): boolean {
  return BODY_LINE.test(added) && !WHOLE_BLOCK.test(added);
}

const BLOCK = /^.*(?:-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d: ).*$/;
const BLOCK_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|^Private-MAC: /;

/** The file's key blocks as [first line, last line] (1-based); an unterminated block runs to the end of the file. */
function keyBlocks(lines: string[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!BLOCK.test(lines[i]!)) continue;
    let j = i;
    while (j < lines.length - 1 && !BLOCK_END.test(lines[j]!)) j++;
    out.push([i + 1, j + 1]);
    i = j;
  }
  return out;
}

/**
 * Fragments holding only the key blocks the commits touched (every other line blanked, so line numbers stay the
 * file's) with the touched lines as `addedLines`: the rules see whole keys, findings stay on what the commit changed.
 */
export async function keyBlockFragments(
  root: string,
  candidates: KeyBlockCandidate[],
  maxSize: number,
): Promise<Fragment[]> {
  if (candidates.length === 0) return [];
  const blobs = await readBlobs(root, [...new Set(candidates.map((c) => c.blob))]);
  const out: Fragment[] = [];
  for (const c of candidates) {
    const buf = blobs.get(c.blob);
    if (!buf || buf.length > maxSize) continue;
    const lines = buf.toString('utf8').split('\n');
    const keep = new Array<boolean>(lines.length).fill(false);
    const added = new Set<number>();
    for (const [from, to] of keyBlocks(lines)) {
      let touched = false;
      for (let l = from; l <= to; l++) if (c.added.has(l)) touched = true;
      if (!touched) continue;
      for (let l = from; l <= to; l++) {
        keep[l - 1] = true;
        added.add(l);
      }
    }
    if (added.size === 0) continue;
    out.push({
      path: c.path,
      commit: c.commit,
      text: lines.map((l, i) => (keep[i] ? l : '')).join('\n'),
      addedLines: added,
    });
  }
  return out;
}
