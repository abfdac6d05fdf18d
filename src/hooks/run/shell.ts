import { spawn } from 'node:child_process';

/** Runs a configured command (lint-staged, the test command) through the shell with the hook's terminal. */
export function runShell(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    // stdout goes to stderr like git does for hooks, so nothing lands in a caller's captured stdout.
    const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', () => resolve(127));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
