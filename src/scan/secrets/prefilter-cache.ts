import { readFileSync } from 'node:fs';
import { KeywordPrefilter } from './prefilter.js';

/**
 * The keyword prefilter's tables for the built-in rules, built once by `npm run build`
 * (scripts/build-prefilter.mjs) instead of in every hook process: building them costs more than the whole scan of a
 * typical commit. Used only when the keywords hash to the stored key, so custom rules, disabled rules or edited
 * rules simply build their own tables as before.
 */
export const PREFILTER_FILE = new URL('./prefilter.bin', import.meta.url);

/** The keywords themselves are the key (compared whole, a few KB): hashing them would load node:crypto per commit. */
function keywordsKey(ruleKeywords: readonly (readonly string[])[]): string {
  return JSON.stringify(ruleKeywords);
}

/**
 * File layout: a JSON header line ({ key, ruleCount, states, width, outputs }) padded to 4 bytes, the 256 character
 * classes, then the DFA as Int32.
 */
export function serializePrefilter(ruleKeywords: readonly (readonly string[])[]): Buffer {
  const { classes, width, next, outputs } = new KeywordPrefilter(ruleKeywords).tables;
  let header = JSON.stringify({
    key: keywordsKey(ruleKeywords),
    ruleCount: ruleKeywords.length,
    states: next.length / width,
    width,
    outputs,
  });
  header += ' '.repeat((4 - ((Buffer.byteLength(header) + 1) % 4)) % 4);
  return Buffer.concat([
    Buffer.from(`${header}\n`),
    Buffer.from(classes.buffer, classes.byteOffset, 256),
    Buffer.from(next.buffer, next.byteOffset, next.byteLength),
  ]);
}

export function prefilterFor(ruleKeywords: readonly (readonly string[])[]): KeywordPrefilter {
  const stored = readStored(ruleKeywords);
  return stored ?? new KeywordPrefilter(ruleKeywords);
}

function readStored(ruleKeywords: readonly (readonly string[])[]): KeywordPrefilter | null {
  let buf: Buffer;
  try {
    buf = readFileSync(PREFILTER_FILE);
  } catch {
    return null; // not built (a tsc-only build): build the tables here
  }
  const nl = buf.indexOf(10);
  if (nl === -1) return null;
  const header = JSON.parse(buf.toString('utf8', 0, nl)) as {
    key: string;
    ruleCount: number;
    states: number;
    width?: number;
    outputs: (number[] | null)[];
  };
  if (header.key !== keywordsKey(ruleKeywords) || header.ruleCount !== ruleKeywords.length) return null;
  const width = header.width;
  const body = buf.subarray(nl + 1);
  // An older layout (no width) or a truncated file: build the tables instead.
  if (!width || body.length !== 256 + header.states * width * 4 || header.outputs.length !== header.states) return null;
  const classes = body.subarray(0, 256);
  const table = body.subarray(256);
  // A view on the file's bytes when they are 4-byte aligned (the header is padded for that), else a copy.
  const aligned = table.byteOffset % 4 === 0;
  const next = aligned
    ? new Int32Array(table.buffer, table.byteOffset, header.states * width)
    : new Int32Array(header.states * width);
  if (!aligned) new Uint8Array(next.buffer).set(table);
  return KeywordPrefilter.fromTables(header.ruleCount, { classes, width, next, outputs: header.outputs });
}
