import { parentPort, workerData } from 'node:worker_threads';
import { readFileBytes, type FileEntry } from '../sources/files.js';
import { emptyStats } from '../sources/fragments.js';
import type { Finding } from '../types.js';
import { SecretEngine, type EngineSettings } from './engine.js';

/** Worker thread: reads and scans its share of the files, returns findings (internal fields included) and counts. */
interface Job {
  entries: FileEntry[];
  settings: EngineSettings;
  maxSize: number;
}

const job = workerData as Job;
const engine = new SecretEngine(job.settings);
const stats = emptyStats();
const findings: Finding[] = [];
for (const entry of job.entries) {
  const bytes = readFileBytes(entry, job.maxSize, stats);
  if (bytes) for (const f of engine.detectBytes(entry.rel, bytes)) findings.push(f);
}
parentPort!.postMessage({ findings, stats });
