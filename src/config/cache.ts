import { promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../core/version.js';
import { defaultConfig } from './defaults.js';
import { CONFIG_FILE, parseConfig } from './load.js';
import type { Config } from './types.js';

/** Where a clone keeps the validated config, inside its git dir (never committed, one per clone or worktree). */
export const CONFIG_CACHE = path.join('secure-repo', 'config-cache.json');
const FORMAT = 1;

interface CacheEntry {
  format: number;
  key: string;
  config: Config;
}

/**
 * The key of one config text: this tool's version, its defaults (a new version may read the same text
 * differently) and the text itself, compared whole (a config is a few hundred bytes; a hash would load node:crypto
 * on every commit). A cache entry is used only when its key matches exactly.
 */
function cacheKey(text: string): string {
  return `${FORMAT}\0${VERSION}\0${JSON.stringify(defaultConfig())}\0${text}`;
}

/**
 * `.secure-repo.yml` as loadConfig reads it, without loading the YAML library or the schema on every commit:
 * the validated result is kept in the git dir, keyed by the file's text. A miss (first run, an
 * edited file, a new version) parses and validates as usual; an invalid file is never cached, so it fails every
 * time. A cache that cannot be written (read-only git dir) only costs the parse.
 */
export async function loadConfigCached(root: string, gitDir: string): Promise<Config> {
  let text: string;
  try {
    // Synchronous on purpose: two small reads, and the promise API costs more than the read at start-up.
    text = readFileSync(path.join(root, CONFIG_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return defaultConfig();
    throw err;
  }
  const key = cacheKey(text);
  const file = path.join(gitDir, CONFIG_CACHE);
  const cached = readEntry(file);
  if (cached && cached.format === FORMAT && cached.key === key) return cached.config;
  const { config } = await parseConfig(text, path.join(root, CONFIG_FILE));
  await writeEntry(file, { format: FORMAT, key, config });
  return config;
}

function readEntry(file: string): CacheEntry | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
  } catch {
    return null; // missing or damaged: parse the config again
  }
}

async function writeEntry(file: string, entry: CacheEntry): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(tmp, JSON.stringify(entry));
    await fsp.rename(tmp, file); // atomic: a hook running at the same time reads the old entry or the new one
  } catch {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
  }
}
