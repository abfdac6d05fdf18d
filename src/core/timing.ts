/**
 * An opt-in breakdown of where a hook's time goes (SECURE_REPO_TIMING=1, or `--timing`), printed on stderr at the
 * end. Off, every call is one boolean test: the hook path pays nothing for it.
 */
interface Span {
  label: string;
  start: number;
  ms: number;
  /** Spans added together (one per file or per git call of a kind). */
  count: number;
}

let enabled = isOn(process.env.SECURE_REPO_TIMING);
const spans = new Map<string, Span>();

function isOn(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/**
 * Milliseconds on a monotonic clock, for durations. Node 20 builds the `performance` global (perf_hooks and a
 * dozen internal modules, about 1 ms) on first use, so the hook path reads the process clock instead.
 */
export function elapsedMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** A moment on the elapsedMs clock, in ms since the process started (the timeline the report uses). */
export function sinceStart(elapsed: number): number {
  return performance.now() - (elapsedMs() - elapsed);
}

/** Records a span measured on the elapsedMs clock (by code that ran before this module loaded). */
export function recordElapsed(label: string, start: number, ms: number): void {
  if (enabled) record(label, sinceStart(start), ms);
}

export function timingEnabled(): boolean {
  return enabled;
}

export function enableTiming(): void {
  enabled = true;
}

/** Adds `ms` to the span `label` (created at `start` the first time). */
export function record(label: string, start: number, ms: number): void {
  if (!enabled) return;
  const s = spans.get(label);
  if (s) {
    s.ms += ms;
    s.count++;
  } else spans.set(label, { label, start, ms, count: 1 });
}

/** Times an async step under `label`. */
export async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
  if (!enabled) return step();
  const start = performance.now();
  try {
    return await step();
  } finally {
    record(label, start, performance.now() - start);
  }
}

/** Times a synchronous step under `label`. */
export function timedSync<T>(label: string, step: () => T): T {
  if (!enabled) return step();
  const start = performance.now();
  try {
    return step();
  } finally {
    record(label, start, performance.now() - start);
  }
}

/**
 * The breakdown: node's own start-up (to the end of its bootstrap), loading our entry, then each step in the order
 * it started, with its start offset since the process started. Steps can overlap (git calls run in parallel).
 */
export function timingReport(): string {
  const now = performance.now();
  const boot = performance.nodeTiming.bootstrapComplete;
  const rows: [string, number, number, number][] = [['node start-up (bootstrap)', 0, boot, 1]];
  for (const s of [...spans.values()].sort((a, b) => a.start - b.start)) rows.push([s.label, s.start, s.ms, s.count]);
  rows.push(['total in node (to this report)', 0, now, 1]);
  const width = Math.max(...rows.map((r) => r[0].length));
  const lines = rows.map(
    ([label, start, ms, count]) =>
      `  ${label.padEnd(width)}  ${ms.toFixed(1).padStart(7)} ms  at ${start.toFixed(1).padStart(7)} ms${count > 1 ? `  (${count} calls)` : ''}`,
  );
  return `secure-repo timing (ms since the process started):\n${lines.join('\n')}\n`;
}
