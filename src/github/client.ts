import { execFile } from 'node:child_process';
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

const DEFAULT_API_URL = 'https://api.github.com';

export type TokenSource = 'GITHUB_TOKEN' | 'GH_TOKEN' | 'gh auth token';

export interface ResolvedToken {
  token: string;
  source: TokenSource;
}

/** The REST base URL: flag, else $GITHUB_API_URL, else the host we detected, else api.github.com. Trailing slashes dropped. */
export function resolveApiUrl(flag: string | undefined, env: NodeJS.ProcessEnv, detected?: string | null): string {
  const url = flag || env.GITHUB_API_URL || detected || DEFAULT_API_URL;
  return url.replace(/\/+$/, '');
}

/** The host `gh` knows the token by: github.com for the public API, else the API URL's host. */
function ghHostname(apiUrl: string): string {
  try {
    const host = new URL(apiUrl).hostname;
    return host === 'api.github.com' ? 'github.com' : host;
  } catch {
    return 'github.com';
  }
}

/**
 * $GITHUB_TOKEN, else $GH_TOKEN, else `gh auth token` (only when neither is set, with a short timeout; a missing or
 * logged-out `gh` means "no token"). The value is only ever handed to Octokit, never printed or stored.
 */
export async function resolveToken(
  env: NodeJS.ProcessEnv,
  apiUrl: string = DEFAULT_API_URL,
  ghTimeoutMs = 5000,
): Promise<ResolvedToken | null> {
  if (env.GITHUB_TOKEN?.trim()) return { token: env.GITHUB_TOKEN.trim(), source: 'GITHUB_TOKEN' };
  if (env.GH_TOKEN?.trim()) return { token: env.GH_TOKEN.trim(), source: 'GH_TOKEN' };
  const token = await new Promise<string | null>((resolve) => {
    try {
      execFile(
        'gh',
        ['auth', 'token', '--hostname', ghHostname(apiUrl)],
        { env, timeout: ghTimeoutMs, windowsHide: true },
        (err, stdout) => resolve(err ? null : String(stdout).trim() || null),
      );
    } catch {
      resolve(null);
    }
  });
  return token ? { token, source: 'gh auth token' } : null;
}

export interface ClientOptions {
  token: string;
  apiUrl: string;
  onProgress?: (msg: string) => void;
  /** Multiplies every wait (rate limits, retries); tests pass a small value. 1 = GitHub's real timings. */
  timeScale?: number;
  /** Minimum gap between write requests, as GitHub asks of integrations (ms, before timeScale). */
  writeSpacingMs?: number;
  userAgent?: string;
}

/** How often we wait out a rate limit before giving up on a request. */
const MAX_RATE_LIMIT_RETRIES = 3;
/** Waits longer than this are not worth it for an interactive command: report the limit instead. */
const MAX_WAIT_SECONDS = 15 * 60;

const Client = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof Client>;

/**
 * A tiny stand-in for the throttling plugin's write limiter (a Bottleneck group): one write at a time, spaced.
 * The plugin's own group is module-wide with a fixed 1 s spacing; ours is per client and scales in tests.
 */
function spacedGroup(minTimeMs: number) {
  let last = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const limiter = {
    schedule<T>(_opts: unknown, fn: () => Promise<T>): Promise<T> {
      const run = chain.then(async () => {
        const wait = last + minTimeMs - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        last = Date.now();
        return fn();
      });
      chain = run.catch(() => undefined);
      return run;
    },
  };
  return { key: () => limiter };
}

export function createClient(opts: ClientOptions): GitHubClient {
  const scale = opts.timeScale ?? 1;
  const progress = opts.onProgress ?? (() => {});
  const waitNote = (kind: string, seconds: number, retryCount: number, method: string, url: string) => {
    if (retryCount >= MAX_RATE_LIMIT_RETRIES || seconds > MAX_WAIT_SECONDS) {
      progress(`GitHub ${kind} rate limit reached on ${method} ${url}; giving up after ${retryCount} wait(s).`);
      return false;
    }
    progress(
      `GitHub ${kind} rate limit reached; waiting ${seconds}s before retrying ${method} ${url} (attempt ${retryCount + 2}).`,
    );
    return true;
  };
  const silent = () => {};
  return new Client({
    auth: opts.token,
    baseUrl: opts.apiUrl,
    userAgent: opts.userAgent ?? 'create-secure-repo',
    // Octokit's default logger writes warnings (deprecations, retries) to the console; our output is our own.
    log: { debug: silent, info: silent, warn: silent, error: silent },
    throttle: {
      retryAfterBaseValue: 1000 * scale,
      fallbackSecondaryRateRetryAfter: 60,
      write: spacedGroup((opts.writeSpacingMs ?? 1000) * scale) as never,
      onRateLimit: (after, options, _o, count) => waitNote('primary', after, count, options.method, options.url),
      onSecondaryRateLimit: (after, options, _o, count) =>
        waitNote('secondary', after, count, options.method, options.url),
    },
    retry: {
      retryAfterBaseValue: 1000 * scale,
      retries: 3,
      // 403/429 belong to the throttling plugin; 409/422 are answers, not glitches.
      doNotRetry: [400, 401, 403, 404, 409, 410, 422, 429, 451],
    },
  });
}
