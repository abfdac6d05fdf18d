import { existsSync } from 'node:fs';
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

/** Splits files into `n` shares of similar total size (largest first, each to the lightest share). */
function balance(entries: FileEntry[], n: number): FileEntry[][] {
  const shares: FileEntry[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  for (const e of [...entries].sort((a, b) => b.size - a.size)) {
    let min = 0;
    for (let i = 1; i < n; i++) if (load[i]! < load[min]!) min = i;
    shares[min]!.push(e);
    load[min]! += e.size + 256;
  }
  return shares;
}

export async function scanInWorkers(
  entries: FileEntry[],
  settings: EngineSettings,
  maxSize: number,
  threads: number,
): Promise<{ findings: Finding[]; stats: SourceStats[] }> {
  const shares = balance(entries, threads).filter((s) => s.length > 0);
  const results = await Promise.all(
    shares.map(
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
