import type { Config } from '../../config/types.js';
import type { ScanOptions, ScanResult } from '../../scan/run.js';
import type { Finding } from '../../scan/types.js';

export type { ScanOptions, ScanResult } from '../../scan/run.js';

/** The scanner's entry points the hooks use (src/scan/run.ts and src/scan/report/text.ts). */
export interface Scanner {
  runScan(opts: ScanOptions): Promise<ScanResult>;
  formatText(result: ScanResult, opts: { color: boolean; cwd: string; root: string }): string;
  blocking(result: ScanResult, config: Config): Finding[];
}

/**
 * Loads the scanner only when a hook needs it (after config and skip checks). A scanner that fails to load is a
 * broken install: the caller turns that into a failed hook with a repair hint (fail closed), never a silent pass.
 */
export async function loadScanner(): Promise<Scanner> {
  const [run, text] = await Promise.all([import('../../scan/run.js'), import('../../scan/report/text.js')]);
  return { runScan: run.runScan, formatText: text.formatText, blocking: text.blocking };
}
