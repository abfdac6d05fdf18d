import type { ImagePolicy } from './images/policy.js';

/** Where the reviewed baseline lives: committed, so a change to it goes through a pull request. */
export const BASELINE_PATH = '.secure-repo/operate-baseline.json';

/**
 * What a maintainer reviewed and accepted: the access that exists on purpose, the workflow files, the image
 * allow-list and the deadlines. The audit reports what differs from it.
 */
export interface Baseline {
  version: 1;
  workflows: string[];
  deployKeys: { id: number; title: string; readOnly: boolean }[];
  webhooks: { id: number; host: string }[];
  collaborators: { login: string; role: string }[];
  invitations: string[];
  runners: string[];
  environments: string[];
  secrets: string[];
  /** Logins allowed to dispatch workflows beyond those with write access (e.g. a release bot). */
  dispatchers: string[];
  images: ImagePolicy | null;
  /** Days an open alert may stay open, by severity. */
  sla: { critical: number; high: number };
  /** Days without a run after which a security workflow counts as switched off. */
  staleDays: number;
}

const DEFAULT_SLA = { critical: 7, high: 30 };
const DEFAULT_STALE_DAYS = 14;

export function emptyBaseline(): Baseline {
  return {
    version: 1,
    workflows: [],
    deployKeys: [],
    webhooks: [],
    collaborators: [],
    invitations: [],
    runners: [],
    environments: [],
    secrets: [],
    dispatchers: [],
    images: null,
    sla: { ...DEFAULT_SLA },
    staleDays: DEFAULT_STALE_DAYS,
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Reads a baseline leniently field by field; a field of the wrong shape is an error that names it. */
export function parseBaseline(text: string, file: string): Baseline {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${file} is not valid JSON (${(err as Error).message})`);
  }
  if (!raw || typeof raw !== 'object' || raw.version !== 1)
    throw new Error(`${file} must be an object with "version": 1`);
  const b = emptyBaseline();
  const list = <T>(k: string, ok: (x: unknown) => x is T): T[] => {
    const v = raw[k];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every(ok)) throw new Error(`${file}: "${k}" has an entry of the wrong shape`);
    return v;
  };
  const obj = (x: unknown): x is Record<string, unknown> => Boolean(x) && typeof x === 'object';
  b.workflows = strings(raw.workflows);
  b.deployKeys = list(
    'deployKeys',
    (x): x is Baseline['deployKeys'][number] => obj(x) && typeof x.id === 'number' && typeof x.readOnly === 'boolean',
  );
  b.webhooks = list(
    'webhooks',
    (x): x is Baseline['webhooks'][number] => obj(x) && typeof x.id === 'number' && typeof x.host === 'string',
  );
  b.collaborators = list(
    'collaborators',
    (x): x is Baseline['collaborators'][number] => obj(x) && typeof x.login === 'string' && typeof x.role === 'string',
  );
  b.invitations = strings(raw.invitations);
  b.runners = strings(raw.runners);
  b.environments = strings(raw.environments);
  b.secrets = strings(raw.secrets);
  b.dispatchers = strings(raw.dispatchers);
  if (raw.images !== undefined && raw.images !== null) {
    const i = raw.images as Record<string, unknown>;
    if (!obj(i) || !Array.isArray(i.allow))
      throw new Error(`${file}: "images" needs an "allow" list of registry/repository patterns`);
    b.images = { allow: strings(i.allow), requireDigest: i.requireDigest === true };
  }
  if (obj(raw.sla))
    b.sla = {
      critical: Number(raw.sla.critical ?? DEFAULT_SLA.critical),
      high: Number(raw.sla.high ?? DEFAULT_SLA.high),
    };
  if (typeof raw.staleDays === 'number') b.staleDays = raw.staleDays;
  return b;
}

export function formatBaseline(b: Baseline): string {
  return `${JSON.stringify(b, null, 2)}\n`;
}
