/** Counters every source keeps, so a scan always says what it skipped and why. */
export interface SourceStats {
  files: number;
  bytes: number;
  commits: number;
  skipped: { binary: number; tooLarge: number; symlink: number; allowedPath: number };
}

export function emptyStats(): SourceStats {
  return { files: 0, bytes: 0, commits: 0, skipped: { binary: 0, tooLarge: 0, symlink: 0, allowedPath: 0 } };
}

/** NUL bytes mean binary content (what git itself checks); such files are skipped and counted. */
/** Whether BUF holds PREFIX at AT (a byte comparison, no decoding). */
export function startsWithAt(buf: Buffer, at: number, prefix: Buffer): boolean {
  return buf.length - at >= prefix.length && buf.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0;
}

export function isBinary(buf: Buffer): boolean {
  return buf.indexOf(0) !== -1;
}

/** Undoes git's C-style quoting of unusual path names (`"a\\tb\\303\\251"`), returning UTF-8 text. */
export function unquoteGitPath(p: string): string {
  if (!p.startsWith('"')) return p;
  const bytes: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, a: 7, v: 11, '"': 34, '\\': 92 };
  for (let i = 1; i < p.length - 1; i++) {
    const c = p[i]!;
    if (c !== '\\') {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const n = p[i + 1]!;
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(p.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(simple[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Parses a unified-diff hunk header: the first added line number and how many lines were added. */
export function parseHunkHeader(line: string): { removed: number; start: number; count: number } | null {
  const m = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
  if (!m) return null;
  return {
    removed: m[1] === undefined ? 1 : Number(m[1]),
    start: Number(m[2]),
    count: m[3] === undefined ? 1 : Number(m[3]),
  };
}

/** Path from a `+++ b/path` header line; null for /dev/null (a deletion). */
export function pathFromPlusHeader(line: string): string | null {
  const raw = line.slice(4).replace(/\t$/, '');
  if (raw === '/dev/null') return null;
  const unq = unquoteGitPath(raw);
  return unq.startsWith('b/') ? unq.slice(2) : unq;
}
