import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../core/errors.js';

/** One pinned action as `data/action-pins.json` records it (extra fields such as inputs and notes are kept as-is). */
export interface PinEntry {
  uses: string;
  tag?: string;
  sha?: string;
  /** 'tag-only': the action must be referenced by its tag (SLSA generators); we never emit those. */
  referenceBy?: string;
  [extra: string]: unknown;
}

export interface PinFile {
  about?: string;
  actions: PinEntry[];
  [extra: string]: unknown;
}

/** Where a repository keeps its refreshed copy (written by `secure-repo pins --update`); preferred when present. */
export const REPO_PINS_FILE = '.secure-repo/action-pins.json';

const SHA_RE = /^[0-9a-f]{40}$/;

function bundledPinsPath(): string {
  return new URL('../../data/action-pins.json', import.meta.url).pathname;
}

/** Parses and checks a pin file; a malformed one is a usage error naming the file. */
function parsePinFile(text: string, file: string): PinFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file}: not valid JSON (${(err as Error).message}).`, 'Delete it to fall back to the bundled pins, or run `secure-repo pins --update` to rewrite it.');
  }
  const actions = (data as PinFile | null)?.actions;
  if (!Array.isArray(actions) || actions.some((a) => typeof a?.uses !== 'string')) {
    throw new CliError(`${file}: expected {"actions": [{"uses": "owner/repo", "tag": "vX.Y.Z", "sha": "<40 hex>"}, ...]}.`, 'Delete it to fall back to the bundled pins.');
  }
  return data as PinFile;
}

/** The actions we may emit, each resolved to a full commit SHA with its release tag for the trailing comment. */
export class Pins {
  private readonly byUses = new Map<string, { sha: string; tag: string }>();

  /** `fallback`: pins used for actions `file` does not list (a refreshed copy older than this version's templates). */
  constructor(
    readonly file: PinFile,
    readonly source: string,
    fallback?: PinFile,
  ) {
    for (const a of [...(fallback?.actions ?? []), ...file.actions]) {
      if (a.referenceBy === 'tag-only' || !a.sha || !a.tag || !SHA_RE.test(a.sha)) continue;
      this.byUses.set(a.uses, { sha: a.sha, tag: a.tag });
    }
  }

  /** `owner/repo[/path]@<sha>` for an action we know; throws (a bug in a template) for one we do not. */
  ref(uses: string): string {
    const pin = this.byUses.get(uses);
    if (!pin) throw new Error(`no pinned SHA for ${uses} in ${this.source}`);
    return `${uses}@${pin.sha}`;
  }

  /** The release tag for a `uses:` value we emitted (`owner/repo@sha`), or null if it is not one of ours. */
  tagFor(usesRef: string): string | null {
    const at = usesRef.lastIndexOf('@');
    if (at < 0) return null;
    const pin = this.byUses.get(usesRef.slice(0, at));
    return pin && pin.sha === usesRef.slice(at + 1) ? pin.tag : null;
  }

  /** Every (uses, sha, tag) we may emit. */
  entries(): { uses: string; sha: string; tag: string }[] {
    return [...this.byUses].map(([uses, p]) => ({ uses, ...p }));
  }
}

/**
 * Loads the pins: the repository's own refreshed copy when it has one (with the shipped copy behind it for any
 * action it lacks), else the copy shipped with the package. Synchronous because planning is.
 */
export function loadPins(root?: string): Pins {
  const bundledFile = bundledPinsPath();
  const bundled = parsePinFile(readFileSync(bundledFile, 'utf8'), bundledFile);
  if (root) {
    const own = path.join(root, REPO_PINS_FILE);
    let text: string | null = null;
    try {
      text = readFileSync(own, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err;
    }
    if (text !== null) return new Pins(parsePinFile(text, own), own, bundled);
  }
  return new Pins(bundled, bundledFile);
}
