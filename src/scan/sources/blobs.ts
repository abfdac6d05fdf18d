import { spawn } from 'node:child_process';
import { CliError } from '../../core/errors.js';
import { timed } from '../../core/timing.js';

/**
 * Reads blobs through one `git cat-file --batch` process. Objects are named by SHA, never by path, so file names
 * with newlines or spaces cannot break the protocol.
 */
export function readBlobs(cwd: string, shas: string[]): Promise<Map<string, Buffer>> {
  return timed('git cat-file', () => readAll(cwd, shas));
}

function readAll(cwd: string, shas: string[]): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    if (shas.length === 0) return resolve(out);
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', (e) => reject(new CliError(`git cat-file failed: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0) return reject(new CliError(`git cat-file failed: ${err.trim()}`));
      const buf = Buffer.concat(chunks);
      let pos = 0;
      while (pos < buf.length) {
        const nl = buf.indexOf(10, pos);
        if (nl === -1) break;
        const header = buf.toString('utf8', pos, nl);
        const [sha, type, sizeText] = header.split(' ');
        if (type === 'missing' || sizeText === undefined) {
          pos = nl + 1;
          continue;
        }
        const size = Number(sizeText);
        out.set(sha!, buf.subarray(nl + 1, nl + 1 + size));
        pos = nl + 1 + size + 1;
      }
      resolve(out);
    });
    child.stdin.end(`${shas.join('\n')}\n`);
  });
}

/**
 * Reads blobs through one streamed `git cat-file --batch`, keeping only those of at most `maxSize` bytes: larger
 * ones pass through the pipe and are dropped, so one git call replaces a size check followed by a read.
 */
export function readBlobsUpTo(
  cwd: string,
  shas: string[],
  maxSize: number,
): Promise<{ blobs: Map<string, Buffer>; tooLarge: Set<string> }> {
  return timed('git cat-file', () => streamBlobs(cwd, shas, maxSize));
}

interface BlobInProgress {
  sha: string;
  size: number;
  keep: boolean;
  parts: Buffer[];
  /** Bytes received so far, counting the newline git writes after the content. */
  got: number;
}

function streamBlobs(
  cwd: string,
  shas: string[],
  maxSize: number,
): Promise<{ blobs: Map<string, Buffer>; tooLarge: Set<string> }> {
  return new Promise((resolve, reject) => {
    const blobs = new Map<string, Buffer>();
    const tooLarge = new Set<string>();
    if (shas.length === 0) return resolve({ blobs, tooLarge });
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let header = Buffer.alloc(0);
    let current: BlobInProgress | null = null;
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const buf = header.length > 0 ? Buffer.concat([header, chunk]) : chunk;
      header = Buffer.alloc(0);
      let pos = 0;
      while (pos < buf.length) {
        if (current) {
          const take = Math.min(current.size + 1 - current.got, buf.length - pos);
          if (current.keep) current.parts.push(buf.subarray(pos, pos + take));
          current.got += take;
          pos += take;
          if (current.got === current.size + 1) {
            if (current.keep) blobs.set(current.sha, Buffer.concat(current.parts).subarray(0, current.size));
            current = null;
          }
          continue;
        }
        const nl = buf.indexOf(10, pos);
        if (nl === -1) {
          header = Buffer.from(buf.subarray(pos));
          break;
        }
        const [sha, type, sizeText] = buf.toString('utf8', pos, nl).split(' ');
        pos = nl + 1;
        if (type === 'missing' || sizeText === undefined || !sha) continue;
        const size = Number(sizeText);
        const keep = size <= maxSize;
        if (!keep) tooLarge.add(sha);
        current = { sha, size, keep, parts: [], got: 0 };
      }
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', (e) => reject(new CliError(`git cat-file failed: ${e.message}`)));
    child.on('close', (code) => {
      if (code !== 0 || current !== null)
        return reject(new CliError(`git cat-file failed: ${err.trim() || 'the output ended early'}`));
      resolve({ blobs, tooLarge });
    });
    child.stdin.end(`${shas.join('\n')}\n`);
  });
}
