import type { Baseline } from './baseline.js';
import type { OperateFinding } from './types.js';

export interface DeployKeyRecord {
  id: number;
  title: string;
  read_only: boolean;
  created_at: string;
  last_used?: string | null;
  added_by?: string | null;
}
export interface HookRecord {
  id: number;
  active: boolean;
  events: string[];
  created_at: string;
  config: { url?: string; insecure_ssl?: string | number; secret?: string; content_type?: string };
}
export interface CollaboratorRecord {
  login: string;
  role_name: string;
}
export interface InvitationRecord {
  id: number;
  created_at: string;
  permissions: string;
  invitee: { login: string } | null;
  inviter: { login: string } | null;
}
export interface RunnerRecord {
  id: number;
  name: string;
  os: string;
  status: string;
  labels: { name: string }[];
  ephemeral?: boolean;
}
export interface EnvironmentRecordLite {
  name: string;
  created_at: string;
  protection_rules?: { type: string }[];
}
export interface SecretRecord {
  name: string;
  created_at: string;
  updated_at: string;
}

const UNUSED_DAYS = 90;
const daysSince = (iso: string, now: Date) => (now.getTime() - Date.parse(iso)) / 86_400_000;
const hostOf = (url: string | undefined) => {
  try {
    return url ? new URL(url).hostname.toLowerCase() : '';
  } catch {
    return '';
  }
};

export function deployKeyFindings(keys: DeployKeyRecord[], base: Baseline | null, now: Date): OperateFinding[] {
  const out: OperateFinding[] = [];
  for (const k of keys) {
    const known = base?.deployKeys.find((b) => b.id === k.id);
    const why: string[] = [];
    if (base && !known) why.push('new since the baseline');
    if (!k.read_only && !(known && !known.readOnly)) why.push('it can push');
    const last = k.last_used ?? null;
    if ((last && daysSince(last, now) > UNUSED_DAYS) || (!last && daysSince(k.created_at, now) > UNUSED_DAYS))
      why.push(`unused for over ${UNUSED_DAYS} days`);
    if (why.length)
      out.push({
        detection: 'access-deploy-key',
        key: `key:${k.id}`,
        severity: k.read_only ? 'medium' : 'high',
        target: `deploy key "${k.title}" (${k.id})`,
        time: k.created_at,
        ...(k.added_by ? { actor: k.added_by } : {}),
        evidence: { read_only: k.read_only, last_used: last, created_at: k.created_at },
        message: `deploy key "${k.title}": ${why.join(', ')}`,
      });
  }
  return out;
}

export function webhookFindings(hooks: HookRecord[], base: Baseline | null): OperateFinding[] {
  const out: OperateFinding[] = [];
  for (const h of hooks) {
    const host = hostOf(h.config.url);
    const why: string[] = [];
    if (base && !base.webhooks.some((b) => b.id === h.id)) why.push('new since the baseline');
    if (base && !base.webhooks.some((b) => b.host === host))
      why.push(`posts to ${host || 'an unreadable URL'}, a host not in the baseline`);
    if (!h.config.secret) why.push('no secret, so deliveries cannot be verified');
    if (String(h.config.insecure_ssl ?? '0') === '1') why.push('TLS certificate verification is off');
    if (why.length)
      out.push({
        detection: 'access-webhook',
        key: `hook:${h.id}`,
        severity: 'high',
        target: `webhook ${h.id} → ${host}`,
        time: h.created_at,
        evidence: {
          host,
          events: h.events.join(','),
          active: h.active,
          insecure_ssl: String(h.config.insecure_ssl ?? '0'),
        },
        message: `webhook to ${host}: ${why.join('; ')}`,
      });
  }
  return out;
}

const PRIVILEGED_ROLES = new Set(['admin', 'maintain']);

export function collaboratorFindings(
  people: CollaboratorRecord[],
  outside: CollaboratorRecord[],
  invitations: InvitationRecord[],
  base: Baseline | null,
): OperateFinding[] {
  if (!base) return [];
  const out: OperateFinding[] = [];
  const known = new Map(base.collaborators.map((c) => [c.login.toLowerCase(), c.role]));
  for (const p of people) {
    const before = known.get(p.login.toLowerCase());
    if (PRIVILEGED_ROLES.has(p.role_name) && before !== p.role_name) {
      out.push({
        detection: 'access-collaborator',
        key: `collaborator:${p.login}:${p.role_name}`,
        severity: 'high',
        target: p.login,
        actor: p.login,
        evidence: { role: p.role_name, baseline_role: before ?? null },
        message: `${p.login} has the ${p.role_name} role${before ? ` (baseline: ${before})` : ' and is not in the baseline'}`,
      });
    }
  }
  for (const p of outside) {
    if (!known.has(p.login.toLowerCase()))
      out.push({
        detection: 'access-collaborator',
        key: `outside:${p.login}`,
        severity: 'high',
        target: p.login,
        actor: p.login,
        evidence: { role: p.role_name, affiliation: 'outside' },
        message: `outside collaborator ${p.login} (${p.role_name}) is not in the baseline`,
      });
  }
  for (const i of invitations) {
    const who = i.invitee?.login ?? `invitation ${i.id}`;
    if (!base.invitations.includes(who))
      out.push({
        detection: 'access-collaborator',
        key: `invitation:${i.id}`,
        severity: 'medium',
        target: who,
        time: i.created_at,
        ...(i.inviter ? { actor: i.inviter.login } : {}),
        evidence: { permissions: i.permissions },
        message: `pending invitation for ${who} (${i.permissions}) sent by ${i.inviter?.login ?? 'someone'}`,
      });
  }
  return out;
}

export function runnerFindings(runners: RunnerRecord[], base: Baseline | null): OperateFinding[] {
  return runners
    .filter((r) => (base ? !base.runners.includes(r.name) : true))
    .map((r) => ({
      detection: 'access-runner',
      key: `runner:${r.id}`,
      severity: 'high' as const,
      target: `runner ${r.name}`,
      evidence: {
        os: r.os,
        status: r.status,
        labels: r.labels.map((l) => l.name).join(','),
        ephemeral: r.ephemeral ?? null,
      },
      message: `self-hosted runner ${r.name} (${r.os}, ${r.status}) is ${base ? 'not in the baseline' : 'registered and no baseline lists it'}`,
    }));
}

export function environmentFindings(envs: EnvironmentRecordLite[], base: Baseline | null): OperateFinding[] {
  const out: OperateFinding[] = [];
  for (const e of envs) {
    const rules = (e.protection_rules ?? []).map((r) => r.type);
    if (!rules.length)
      out.push({
        detection: 'access-environment',
        key: `environment:${e.name}:unprotected`,
        severity: 'medium',
        target: `environment ${e.name}`,
        message: `environment ${e.name} has no protection rules: any branch and any workflow can deploy to it`,
      });
    if (base && !base.environments.includes(e.name))
      out.push({
        detection: 'access-environment',
        key: `environment:${e.name}:new`,
        severity: 'medium',
        target: `environment ${e.name}`,
        time: e.created_at,
        message: `environment ${e.name} is not in the baseline`,
      });
  }
  return out;
}

export function secretFindings(secrets: SecretRecord[], base: Baseline | null): OperateFinding[] {
  if (!base) return [];
  const now = new Set(secrets.map((s) => s.name));
  const added = secrets
    .filter((s) => !base.secrets.includes(s.name))
    .map((s) => ({
      detection: 'access-secret',
      key: `secret:${s.name}:added`,
      severity: 'medium' as const,
      target: `secret ${s.name}`,
      time: s.created_at,
      message: `Actions secret ${s.name} was added (created ${s.created_at})`,
    }));
  const removed = base.secrets
    .filter((n) => !now.has(n))
    .map((n) => ({
      detection: 'access-secret',
      key: `secret:${n}:removed`,
      severity: 'medium' as const,
      target: `secret ${n}`,
      message: `Actions secret ${n} from the baseline is gone`,
    }));
  return [...added, ...removed];
}
