import { parentPort, workerData } from 'node:worker_threads';
import { readFileBytes } from '../sources/files.js';
import { emptyStats } from '../sources/fragments.js';
import type { Finding } from '../types.js';
import { SecretEngine, type EngineSettings } from './engine.js';
import { ACTIVE, claimIn, PENDING, type WorkerFiles } from './pool.js';

/**
 * Worker thread: compiles the rules while the caller still lists the files, then claims files from the shared
 * counter until none are left, and returns findings (internal fields included) and counts. See FileScanPool.
 */
interface Job {
  settings: EngineSettings;
  maxSize: number;
  shared: Int32Array;
  slot: number;
}

const job = workerData as Job;
const engine = new SecretEngine(job.settings);
parentPort!.once('message', (files: WorkerFiles[]) => {
  // The caller ran out of files before this worker was ready: it lets the worker go without waiting for it.
  if (Atomics.compareExchange(job.shared, job.slot, PENDING, ACTIVE) !== PENDING) return;
  const stats = emptyStats();
  const findings: Finding[] = [];
  for (let c = claimIn(job.shared, files.length); c !== null; c = claimIn(job.shared, files.length)) {
    for (let i = c[0]; i < c[1]; i++) {
      const bytes = readFileBytes(files[i]!, job.maxSize, stats);
      if (bytes) for (const f of engine.detectBytes(files[i]!.rel, bytes)) findings.push(f);
    }
  }
  parentPort!.postMessage({ findings, stats });
});
