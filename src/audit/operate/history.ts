import type { Reader, ReadResult } from './read.js';
import { SEARCH_CAP } from './read.js';
import type { RunRecord } from './runs.js';

const RUNS = 'GET /repos/{owner}/{repo}/actions/runs';
const HOUR = 3_600_000;

/**
 * Every run created in [since, until]. A filtered search returns at most 1,000 runs whatever the paging, so a
 * window with more is split in halves until each fits (down to an hour; beyond that the cut is reported).
 */
export async function readRuns(
  reader: Reader,
  since: Date,
  until: Date,
  needs: string,
): Promise<ReadResult<RunRecord[]>> {
  const first = await reader.get<{ total_count: number }>(RUNS, { created: window(since, until), per_page: 1 }, needs);
  if (!first.ok) return first;
  if (first.value.total_count > SEARCH_CAP && until.getTime() - since.getTime() > HOUR) {
    const mid = new Date(Math.floor((since.getTime() + until.getTime()) / 2 / 1000) * 1000);
    const a = await readRuns(reader, since, mid, needs);
    if (!a.ok) return a;
    const b = await readRuns(reader, new Date(mid.getTime() + 1000), until, needs);
    if (!b.ok) return b;
    return { ok: true, value: dedupe([...a.value, ...b.value]), truncated: a.truncated || b.truncated };
  }
  const all = await reader.list<RunRecord>(RUNS, { created: window(since, until) }, needs, 'workflow_runs', SEARCH_CAP);
  if (!all.ok) return all;
  return { ok: true, value: all.value, truncated: first.value.total_count > SEARCH_CAP };
}

/** GitHub's date-range syntax, to the second, in UTC. */
const window = (a: Date, b: Date) => `${iso(a)}..${iso(b)}`;
const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function dedupe(runs: RunRecord[]): RunRecord[] {
  const seen = new Map<number, RunRecord>();
  for (const r of runs) seen.set(r.id, r);
  return [...seen.values()];
}
