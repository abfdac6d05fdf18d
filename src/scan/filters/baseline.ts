import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../../core/errors.js';
import { atomicWrite } from '../../core/fs.js';
import type { Finding } from '../types.js';

/**
 * A baseline records accepted findings by fingerprint (rule + file + hash of the secret), so entries survive
 * line shifts and never contain the secret. Rule, file and line are kept only to make the file reviewable.
 */
interface BaselineFile {
  version: 1;
  tool: 'secure-repo';
  findings: { fingerprint: string; rule: string; file: string; line: number }[];
}

export function readBaseline(file: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(
      `baseline file ${file} cannot be read.`,
      'Create it with `secure-repo scan --write-baseline FILE`, or fix the path.',
    );
  }
  try {
    const data = JSON.parse(text) as Partial<BaselineFile>;
    if (!Array.isArray(data.findings)) throw new Error('no "findings" list');
    return new Set(data.findings.map((f) => f.fingerprint).filter((f): f is string => typeof f === 'string'));
  } catch (err) {
    throw new CliError(
      `baseline file ${file} is not a secure-repo baseline (${(err as Error).message}).`,
      'Regenerate it with `secure-repo scan --write-baseline FILE`.',
    );
  }
}

export async function writeBaseline(file: string, findings: Finding[]): Promise<void> {
  const seen = new Set<string>();
  const entries: BaselineFile['findings'] = [];
  for (const f of findings) {
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    entries.push({ fingerprint: f.fingerprint, rule: f.rule, file: f.file, line: f.line });
  }
  entries.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  const body: BaselineFile = { version: 1, tool: 'secure-repo', findings: entries };
  await atomicWrite(path.resolve(file), `${JSON.stringify(body, null, 2)}\n`);
}
