import { spawn, type ChildProcess } from 'node:child_process';
import { close, closeSync, mkdtempSync, openSync, readSync, rmSync, statfsSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Read size: a history's patch comes in tens of reads per 10 MB instead of thousands. */
const READ_BYTES = 1024 * 1024;
/**
 * Reads go one after the other into buffers of this size, so consecutive chunks are mostly side by side in memory
 * and a section that spans reads is joined without a copy (see patch-blocks.ts). With 1 MB buffers, copying the
 * sections of large files that crossed into a new buffer cost as much as reading them.
 */
const BUFFER_BYTES = 8 * 1024 * 1024;
/**
 * How long to wait for more output once everything written so far is read. Waiting costs nothing when git is the
 * slower side (its exit wakes the reader at once); shorter waits only spent CPU on wake-ups (1 ms: ~700 on a
 * 43 MB history, 15-20 ms of CPU).
 */
const POLL_MS = 5;

export interface GitOutput {
  /** git's standard output, in the order written. */
  chunks: AsyncGenerator<Buffer, void, undefined>;
  /** git's exit code and standard error, once the chunks are all read (or the reader stopped). */
  result: () => Promise<{ code: number; stderr: string }>;
  /** Whether the output came through a temporary file or a pipe. */
  via: 'file' | 'pipe';
  /** Stops git if it still runs and frees the file, whether or not the chunks were read (safe to call again). */
  close: () => void;
}

/**
 * Room the temp folder must have for the file to be used: the patch of a long history takes gigabytes, and a
 * nearly full disk or a small RAM-backed /tmp is better left alone (the pipe is slower, not wrong).
 */
export const MIN_FREE_BYTES = 2 * 1024 * 1024 * 1024;

/** An open temporary file (its name already gone where the system allows), or null where none can be made. */
function temporaryFile(minFree: number): { fd: number; dir: string; removed: boolean } | null {
  let dir: string;
  let fd: number;
  try {
    const room = statfsSync(os.tmpdir());
    if (room.bavail * room.bsize < minFree) return null;
    dir = mkdtempSync(path.join(os.tmpdir(), 'secure-repo-log-'));
  } catch {
    return null;
  }
  const file = path.join(dir, 'out');
  try {
    fd = openSync(file, 'w+', 0o600);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  try {
    unlinkSync(file);
    rmSync(dir, { recursive: true });
    return { fd, dir, removed: true };
  } catch {
    // Windows cannot unlink an open file: it is removed once read.
    return { fd, dir, removed: false };
  }
}

/** git's output through a pipe, where no temporary file can be made (a read-only or missing temp folder). */
function pipedGitOutput(args: string[], cwd: string): GitOutput {
  const child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  // When a child exits, node resumes its standard output if nothing reads it yet, and so throws away what was left
  // in the pipe. The merges' stream is read only once the main stream reaches a merge, often after its git ended:
  // a listener marks the output as being read, and it stays buffered until then.
  child.stdout.on('readable', () => undefined);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const closed = new Promise<number>((resolve) => {
    child.on('close', (code) => resolve(code ?? 1));
    child.on('error', (err) => {
      stderr += err.message;
      resolve(1);
    });
  });
  const stop = (): void => {
    if (child.exitCode === null) child.kill();
  };
  async function* read(): AsyncGenerator<Buffer, void, undefined> {
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) yield chunk;
    } finally {
      stop();
    }
  }
  return { chunks: read(), result: async () => ({ code: await closed, stderr }), via: 'pipe', close: stop };
}

/**
 * Runs git with its standard output going to a temporary file that is read as it grows. Through a pipe, git waits
 * whenever the reader is busy scanning (the pipe holds 64 KB, well under a second of git's output) and flushes after
 * every commit, so node took thousands of small reads: that hand-off was about a fifth of a history scan's time.
 * The file is unlinked as soon as it is open (elsewhere than Windows), so it goes away with the process whatever
 * happens; it is readable by this user only, since the patch holds whatever secrets the history does. It takes as
 * much room in the temp folder as git's output while the scan runs; without a usable temp folder with `minFree`
 * bytes free, a pipe is used. `readBytes` caps each read (tests lower it so that reads end anywhere).
 */
export function gitOutput(args: string[], cwd: string, minFree = MIN_FREE_BYTES, readBytes = READ_BYTES): GitOutput {
  const tmp = temporaryFile(minFree);
  if (!tmp) return pipedGitOutput(args, cwd);
  const { dir } = tmp;
  let { fd, removed } = tmp;
  const cleanUp = (): void => {
    // Closing the last handle of an unlinked file frees its pages (~1 ms per 5 MB): that is left to a background
    // thread while the scan finishes. Where the file is still named, it must be closed before it is removed.
    if (fd !== -1 && removed) close(fd, () => undefined);
    else if (fd !== -1) closeSync(fd);
    fd = -1;
    if (!removed) rmSync(dir, { recursive: true, force: true });
    removed = true;
  };
  let child: ChildProcess;
  try {
    child = spawn('git', args, { cwd, stdio: ['ignore', fd, 'pipe'] });
  } catch (err) {
    cleanUp();
    throw err;
  }
  // Through a pipe, git died of the broken pipe when node exited early (`scan --history | head` exits on EPIPE);
  // writing to a file, it would run on to the end of the history.
  const onExit = (): void => {
    child.kill();
  };
  process.once('exit', onExit);
  let exitCode: number | null = null;
  /** Stops git if it still runs, and frees the file. */
  const stop = (): void => {
    if (exitCode === null) child.kill();
    cleanUp();
  };
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  let wake: (() => void) | null = null;
  const exited = new Promise<number>((resolve) => {
    const done = (code: number): void => {
      process.removeListener('exit', onExit);
      exitCode ??= code;
      wake?.();
      resolve(exitCode);
    };
    child.on('exit', (code) => done(code ?? 1));
    child.on('error', (err) => {
      stderr += err.message;
      done(1);
    });
  });
  // stderr is complete only at 'close' (after 'exit').
  const closed = new Promise<void>((resolve) => {
    child.on('close', () => resolve());
    child.on('error', () => resolve());
  });

  async function* read(): AsyncGenerator<Buffer, void, undefined> {
    let buf = Buffer.allocUnsafe(BUFFER_BYTES);
    let used = 0;
    let pos = 0;
    try {
      for (;;) {
        // Checked before reading: output written before git exited is all there by then.
        const finished = exitCode !== null;
        // Each read fills the rest of one buffer; yielded slices are never written again.
        if (buf.length - used < 64 * 1024) {
          buf = Buffer.allocUnsafe(BUFFER_BYTES);
          used = 0;
        }
        const n = readSync(fd, buf, used, Math.min(readBytes, buf.length - used), pos);
        if (n > 0) {
          pos += n;
          used += n;
          yield buf.subarray(used - n, used);
          continue;
        }
        if (finished) return;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            wake = null;
            resolve();
          }, POLL_MS);
          wake = () => {
            clearTimeout(timer);
            wake = null;
            resolve();
          };
        });
      }
    } finally {
      stop();
    }
  }

  return {
    via: 'file',
    close: stop,
    chunks: read(),
    result: async () => {
      const code = await exited;
      await closed;
      return { code, stderr };
    },
  };
}
