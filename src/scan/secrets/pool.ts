import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileEntry } from '../sources/files.js';
import type { SourceStats } from '../sources/fragments.js';
import type { Finding } from '../types.js';
import type { EngineSettings } from './engine.js';

/** Below this many bytes a worker's start-up (~30 ms) costs more than it saves. */
export const PARALLEL_THRESHOLD_BYTES = 8 * 1024 * 1024;

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** Worker threads need the compiled worker next to this module (absent when running from TypeScript sources). */
export function workersAvailable(): boolean {
  return existsSync(fileURLToPath(WORKER_URL));
}

export function threadCount(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, 8));
}

/**
 * The tree's size from a sample: listing no longer stats every file, and deciding whether workers pay off needs only
 * an estimate. Exact when there are few files.
 */
export function estimateBytes(entries: readonly FileEntry[], maxSize: number): number {
  const samples = Math.min(entries.length, 64);
  let sum = 0;
  for (let k = 0; k < samples; k++) {
    const e = entries[Math.floor((k * entries.length) / samples)]!;
    let size = e.size;
    if (size === undefined) {
      try {
        size = statSync(e.abs).size;
      } catch {
        size = 0;
      }
    }
    sum += Math.min(size, maxSize + 1);
  }
  return samples === 0 ? 0 : (sum / samples) * entries.length;
}

/** Deals files out in turn: neighbours in a tree are alike, so each share gets a similar mix without stat calls. */
export function split(entries: readonly FileEntry[], n: number): FileEntry[][] {
  const shares: FileEntry[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < entries.length; i++) shares[i % n]!.push(entries[i]!);
  return shares;
}

/**
 * Scans each share in its own worker thread. The caller scans one more share on its own thread meanwhile (it has
 * the rules compiled already), so n cores start n - 1 workers.
 */
export async function scanInWorkers(
  shares: FileEntry[][],
  settings: EngineSettings,
  maxSize: number,
): Promise<{ findings: Finding[]; stats: SourceStats[] }> {
  const results = await Promise.all(
    shares
      .filter((s) => s.length > 0)
      .map(
        (share) =>
          new Promise<{ findings: Finding[]; stats: SourceStats }>((resolve, reject) => {
            const w = new Worker(WORKER_URL, { workerData: { entries: share, settings, maxSize } });
            w.once('message', resolve);
            w.once('error', reject);
            w.once('exit', (code) => {
              if (code !== 0) reject(new Error(`scan worker exited with code ${code}`));
            });
          }),
      ),
  );
  return { findings: results.flatMap((r) => r.findings), stats: results.map((r) => r.stats) };
}
