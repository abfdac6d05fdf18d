import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import type { Config } from '../../src/config/types.js';
import { ProtectSession, type ProtectOptions } from '../../src/github/index.js';
import { startGitHubServer, type GitHubServer, type RepoInit, type ServerOptions } from '../support/github-server.js';

/** Distinctive, so a leak anywhere in output or errors is unmistakable. */
export const FAKE_TOKEN = 'ghp_FAKEtoken0123456789abcdefLEAKCHECK42';

export async function tempDir(prefix = 'secure-repo-gh-'): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function withServer(repos: RepoInit[], extra: Partial<ServerOptions> = {}): Promise<GitHubServer> {
  return startGitHubServer({ token: FAKE_TOKEN, repos, ...extra });
}

/**
 * A test file's servers: tests run concurrently, each on its own server with the repository octo/app (`defaults`
 * and then the test's own settings), and all are closed when the file is done.
 */
export function serverPool(
  defaults: Partial<RepoInit> = {},
  defaultOptions: Partial<ServerOptions> = {},
): (repo?: Partial<RepoInit>, extra?: Partial<ServerOptions>) => Promise<GitHubServer> {
  const servers: GitHubServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  return async (repo = {}, extra = {}) => {
    const server = await withServer([{ owner: 'octo', name: 'app', ...defaults, ...repo }], {
      ...defaultOptions,
      ...extra,
    });
    servers.push(server);
    return server;
  };
}

/** Environment for code under test: only what we set, never the developer's token or gh. */
export function testEnv(server: GitHubServer, token: string | null = FAKE_TOKEN): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: '/nonexistent',
    GITHUB_API_URL: server.url,
    HOME: os.tmpdir(),
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  if (token) env.GITHUB_TOKEN = token;
  return env;
}

export function options(
  server: GitHubServer,
  root: string,
  over: Partial<ProtectOptions> & { configure?: (c: Config) => void } = {},
): ProtectOptions {
  const config = defaultConfig();
  over.configure?.(config);
  const { configure: _c, ...rest } = over;
  return { root, config, detection: null, repo: 'octo/app', env: testEnv(server), ...rest };
}

export async function session(opts: ProtectOptions): Promise<ProtectSession> {
  const s = await ProtectSession.open(opts, { timeScale: 0.001 });
  if (!s) throw new Error('no token');
  return s;
}

import { PassThrough, Writable } from 'node:stream';
import { run } from '../../src/cli/main.js';
import type { CommandContext } from '../../src/core/context.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured streams and the given environment. */
export async function cli(argv: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        append(String(chunk));
        cb();
      },
    });
  const ctx: CommandContext = {
    cwd,
    env,
    stdin: new PassThrough(),
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    interactive: false,
    version: 'test',
  };
  const code = await run(argv, ctx);
  return { code, stdout, stderr };
}
