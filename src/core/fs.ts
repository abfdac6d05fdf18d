import { promises as fsp, constants } from 'node:fs';
import path from 'node:path';
import { nodeCrypto } from './crypto.js';

/** Writes a file atomically: temp file in the same folder, fsync, rename. Never leaves a half-written file. */
export async function atomicWrite(file: string, content: string | Buffer, mode?: number): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${nodeCrypto().randomBytes(6).toString('hex')}.tmp`,
  );
  const handle = await fsp.open(tmp, 'w', mode ?? 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (mode !== undefined) await fsp.chmod(tmp, mode);
  try {
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}

export async function readTextOrNull(file: string): Promise<string | null> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
      return null;
    throw err;
  }
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await fsp.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Repository-relative paths are always POSIX, whatever the platform. */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
