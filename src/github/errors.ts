import { CliError } from '../core/errors.js';

/**
 * `X-Accepted-GitHub-Permissions: administration=read` (alternatives separated by `;`, several permissions in one
 * alternative by `,`) in the words of the token settings page: "Administration: read". Words in, same words out.
 */
function permissionWords(header: string): string {
  const word = (p: string) => {
    const [name = '', level = ''] = p.trim().split('=');
    const title = name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
    return level ? `${title}: ${level}` : title;
  };
  return header
    .split(';')
    .map((alt) =>
      alt
        .split(',')
        .filter((p) => p.trim())
        .map(word)
        .join(' and '),
    )
    .filter(Boolean)
    .join(' or ');
}

/**
 * The permission a refused request needs, from GitHub's `X-Accepted-GitHub-Permissions` header (fine-grained tokens
 * and apps), in words: "Administration: read".
 */
export function acceptedPermissions(err: unknown): string | undefined {
  const h = (err as { response?: { headers?: Record<string, string | number | undefined> } }).response?.headers ?? {};
  const v = h['x-accepted-github-permissions'];
  const words = v === undefined ? '' : permissionWords(String(v));
  return words ? words : undefined;
}

/** A refusal for want of a permission, naming it when GitHub did. */
export type PermissionError = CliError & { needs?: string };

/** What went wrong with an API call, in the terms the user can act on. */
export type FailureKind =
  'unauthorized' | 'admin' | 'plan' | 'not-found' | 'conflict' | 'invalid' | 'rate-limit' | 'network' | 'other';

export interface ApiFailure {
  kind: FailureKind;
  status: number;
  /** GitHub's own message (never contains request headers, so never the token). */
  message: string;
}

const PLAN_RE =
  /upgrade to github pro|make this repository public|requires? .*(?:github (?:pro|team|enterprise)|advanced security)/i;

interface RequestErrorLike {
  status?: number;
  message?: string;
  response?: { data?: unknown; headers?: Record<string, string | undefined> };
  code?: string;
}

/** GitHub's message plus the detail lines of a 422. */
function githubMessage(err: RequestErrorLike): string {
  const data = err.response?.data as { message?: string; errors?: unknown[] } | string | undefined;
  const base =
    typeof data === 'object' && data?.message
      ? data.message
      : typeof data === 'string' && data
        ? data
        : (err.message ?? 'no message');
  const details =
    typeof data === 'object' && Array.isArray(data?.errors)
      ? data.errors.map((e) => (typeof e === 'string' ? e : ((e as { message?: string }).message ?? JSON.stringify(e))))
      : [];
  return [base.trim().replace(/\.$/, ''), ...details].join('; ');
}

export function classify(err: unknown): ApiFailure {
  const e = (err ?? {}) as RequestErrorLike;
  const status = typeof e.status === 'number' ? e.status : 0;
  if (!e.response) {
    // Octokit turns a failed fetch (DNS, refused, reset) into status 500 without a response.
    return { kind: 'network', status, message: networkReason(err) };
  }
  const message = githubMessage(e);
  const headers = e.response.headers ?? {};
  if (status === 401) return { kind: 'unauthorized', status, message };
  if ((status === 403 || status === 429) && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message))) {
    return { kind: 'rate-limit', status, message };
  }
  if (status === 403 && PLAN_RE.test(message)) return { kind: 'plan', status, message };
  if (status === 403) return { kind: 'admin', status, message };
  if (status === 404) return { kind: 'not-found', status, message };
  if (status === 409) return { kind: 'conflict', status, message };
  if (status === 422) return { kind: 'invalid', status, message };
  return { kind: 'other', status, message };
}

function networkReason(err: unknown): string {
  let cur: unknown = err;
  const parts: string[] = [];
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const c = cur as { message?: string; code?: string; cause?: unknown };
    if (c.code && !parts.includes(c.code)) parts.push(c.code);
    else if (c.message && !parts.includes(c.message)) parts.push(c.message);
    cur = c.cause;
  }
  return parts.join(': ') || 'connection failed';
}

export const ADMIN_HINT =
  'Branch protection and security settings need admin rights on the repository: use a fine-grained token with the ' +
  'repository permission "Administration: write" (plus "Contents: read"), or a classic token with the `repo` scope, ' +
  'belonging to a repository admin.';

export const PLAN_HINT =
  'On private repositories, branch protection and rulesets need GitHub Pro (personal accounts) or GitHub Team ' +
  '(organizations), and so do deployment environments; secret scanning and push protection need GitHub Secret ' +
  'Protection (Advanced Security); private ' +
  'vulnerability reporting exists for public repositories only. Public repositories get all of them on every plan.';

export const TOKEN_HINT =
  'Set GITHUB_TOKEN (or GH_TOKEN) to a valid token, or run `gh auth login`; then run `secure-repo protect` again.';

/** The one-paragraph error for a failure that stops the whole command. */
export function toCliError(err: unknown, ctx: { repository: string; apiUrl: string; doing: string }): CliError {
  if (err instanceof CliError) return err;
  const f = classify(err);
  switch (f.kind) {
    case 'unauthorized':
      return new CliError(
        `GitHub rejected the token while ${ctx.doing} (401: ${f.message}): it is wrong, expired or revoked.`,
        TOKEN_HINT,
      );
    case 'admin': {
      const needs = acceptedPermissions(err);
      const lacks = needs
        ? `the token lacks the permission GitHub names: ${needs}`
        : 'the token has no admin rights there';
      const e: PermissionError = new CliError(
        `GitHub refused ${ctx.doing} on ${ctx.repository} (403: ${f.message}): ${lacks}.`,
        ADMIN_HINT,
      );
      if (needs) e.needs = needs;
      return e;
    }
    case 'plan':
      return new CliError(
        `GitHub refused ${ctx.doing} on ${ctx.repository} because of the account's plan (403: ${f.message}).`,
        PLAN_HINT,
      );
    case 'not-found':
      return new CliError(
        `${ctx.repository} was not found at ${ctx.apiUrl} while ${ctx.doing} (404), or the token cannot see it.`,
        'Check --repo OWNER/NAME (or the origin remote) and --api-url; a fine-grained token must include this repository, a classic token needs the `repo` scope for private ones.',
      );
    case 'conflict':
    case 'invalid':
      return new CliError(
        `GitHub refused ${ctx.doing} on ${ctx.repository} (${f.status}: ${f.message}).`,
        'Fix what GitHub names and run again; `--dry-run` shows every request protect would send.',
      );
    case 'rate-limit':
      return new CliError(
        `GitHub's rate limit is still exceeded after waiting, while ${ctx.doing} (${f.status}: ${f.message}).`,
        'Wait until the limit resets (about an hour at most) and run again; nothing is lost, protect only applies what still differs.',
      );
    case 'network':
      return new CliError(
        `could not reach GitHub at ${ctx.apiUrl} while ${ctx.doing} (${f.message}).`,
        'Check the network connection, proxy settings and --api-url (GitHub Enterprise Server: https://HOST/api/v3), then run again.',
      );
    default:
      return new CliError(
        `GitHub answered ${f.status} while ${ctx.doing} on ${ctx.repository}: ${f.message}.`,
        'Run again in a moment; if it persists, check https://www.githubstatus.com.',
      );
  }
}

/** One line for the per-setting report when a single write failed. */
export function failureReason(err: unknown): { reason: string; kind: FailureKind } {
  const f = classify(err);
  switch (f.kind) {
    case 'plan':
      return { kind: f.kind, reason: `not available on this plan (403: ${f.message})` };
    case 'admin':
      return {
        kind: f.kind,
        reason: `no admin rights (403: ${f.message}); needs "Administration: write" or the \`repo\` scope`,
      };
    case 'unauthorized':
      return { kind: f.kind, reason: `token rejected (401: ${f.message})` };
    case 'network':
      return { kind: f.kind, reason: `network failure (${f.message})` };
    default:
      return { kind: f.kind, reason: `GitHub answered ${f.status}: ${f.message}` };
  }
}
