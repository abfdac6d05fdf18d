import { spawn } from 'node:child_process';
import { CliError } from '../../core/errors.js';

/**
 * Reads blobs through one `git cat-file --batch` process. Objects are named by SHA, never by path, so file names
 * with newlines or spaces cannot break the protocol.
 */
export function readBlobs(cwd: string, shas: string[]): Promise<Map<string, Buffer>> {
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

/** Sizes of blobs (`git cat-file --batch-check`), to skip large ones before reading them. */
export function blobSizes(cwd: string, shas: string[]): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, number>();
    if (shas.length === 0) return resolve(out);
    const child = spawn('git', ['cat-file', '--batch-check'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString('utf8')));
    child.on('error', (e) => reject(new CliError(`git cat-file failed: ${e.message}`)));
    child.on('close', () => {
      for (const line of text.split('\n')) {
        const [sha, type, size] = line.split(' ');
        if (sha && type === 'blob') out.set(sha, Number(size));
      }
      resolve(out);
    });
    child.stdin.end(`${shas.join('\n')}\n`);
  });
}
