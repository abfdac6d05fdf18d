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

/** Files taken from the shared list at a time: small enough to balance, large enough that claims cost nothing. */
const CLAIM = 8;

/** Slots of the shared state: the next unclaimed file, then one per worker (see WorkerState). */
const NEXT = 0;

/**
 * A worker's slot starts PENDING; whichever of the worker and the caller changes it first decides: ACTIVE (the
 * worker was ready while files were left: it claims files and is waited for) or CANCELLED (the caller ran out of
 * files first: the worker does nothing and is not waited for).
 */
export const PENDING = 0;
export const ACTIVE = 1;
const CANCELLED = 2;

/** The worker bundled with everything it loads (scripts/bundle-hook.mjs), else the compiled module beside this one. */
const BUNDLED_WORKER_URL = new URL('../../hook/scan-worker.js', import.meta.url);
const WORKER_URL = new URL('./worker.js', import.meta.url);

function workerUrl(): URL | null {
  for (const url of [BUNDLED_WORKER_URL, WORKER_URL]) if (existsSync(fileURLToPath(url))) return url;
  return null;
}

/** Worker threads need a compiled worker (absent when running from TypeScript sources). */
export function workersAvailable(): boolean {
  return workerUrl() !== null;
}

/**
 * Threads for a large files scan: one per core that is idle (by the 1-minute load average), at most 8. A worker on
 * a busy machine finds no core of its own: its start-up (a Node instance, the rules compiled again) is then pure
 * cost, and measured on a saturated 2-core machine the scan took longer with it than without. (Windows reports no
 * load average: every core counts as idle.)
 */
export function threadCount(
  cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length,
  load = os.loadavg()[0] ?? 0,
  forced = process.env.SECURE_REPO_THREADS,
): number {
  // SECURE_REPO_THREADS=N decides instead (1: no workers).
  const n = Number(forced);
  if (forced && Number.isInteger(n) && n >= 1) return Math.min(n, 8);
  return Math.max(1, Math.min(cores, 8, Math.ceil(cores - load - 0.25)));
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

/** What a worker receives once the list is known: every file, by path. */
export interface WorkerFiles {
  rel: string;
  abs: string;
}

export interface WorkerResult {
  findings: Finding[];
  stats: SourceStats;
}

/**
 * Worker threads that scan files alongside the calling thread. They start before the file list is final, so their
 * start-up overlaps the listing; then every thread, the caller included, claims a few files at a time from one
 * shared counter until none are left. No thread waits for a share dealt out in advance, and a worker that is not
 * ready before the files run out is simply let go.
 */
export class FileScanPool {
  private readonly shared = new Int32Array(new SharedArrayBuffer(4 * 17));
  private readonly workers: Worker[] = [];
  private readonly results: Promise<WorkerResult>[] = [];
  private total = 0;

  constructor(workers: number, settings: EngineSettings, maxSize: number) {
    const url = workerUrl()!;
    for (let k = 0; k < Math.min(workers, 16); k++) {
      const w = new Worker(url, { workerData: { settings, maxSize, shared: this.shared, slot: k + 1 } });
      this.workers.push(w);
      this.results.push(
        new Promise<WorkerResult>((resolve, reject) => {
          w.once('message', resolve);
          w.once('error', reject);
          w.once('exit', (code) => {
            if (code !== 0) reject(new Error(`scan worker exited with code ${code}`));
          });
        }),
      );
      // Cancelled workers are terminated, and a rejection nobody awaits must not end the process.
      this.results[k]!.catch(() => undefined);
    }
  }

  /** Hands the final list to the workers; the caller then claims its files with claim(). */
  share(entries: readonly FileEntry[]): void {
    this.total = entries.length;
    const files: WorkerFiles[] = entries.map((e) => ({ rel: e.rel, abs: e.abs }));
    for (const w of this.workers) w.postMessage(files);
  }

  /** The next few files' indexes [from, to), or null when every file is taken. */
  claim(): [number, number] | null {
    const from = Atomics.add(this.shared, NEXT, CLAIM);
    return from < this.total ? [from, Math.min(from + CLAIM, this.total)] : null;
  }

  /** Waits for the workers that took part; the others (still starting when the files ran out) are stopped. */
  async finish(): Promise<WorkerResult[]> {
    const waited: Promise<WorkerResult>[] = [];
    this.workers.forEach((w, k) => {
      const before = Atomics.compareExchange(this.shared, k + 1, PENDING, CANCELLED);
      if (before === PENDING) void w.terminate();
      else waited.push(this.results[k]!);
    });
    return Promise.all(waited);
  }

  /** Stops every worker (the tree turned out small, or the scan failed). */
  cancel(): void {
    for (const w of this.workers) void w.terminate();
  }
}

/** The worker's side of a claim: the same counter, the same list. */
export function claimIn(shared: Int32Array, total: number): [number, number] | null {
  const from = Atomics.add(shared, NEXT, CLAIM);
  return from < total ? [from, Math.min(from + CLAIM, total)] : null;
}
