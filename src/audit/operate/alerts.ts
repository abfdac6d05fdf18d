import type { OperateFinding } from './types.js';

export interface SecretAlertRecord {
  number: number;
  html_url: string;
  secret_type_display_name?: string;
  state: string;
  created_at: string;
  push_protection_bypassed?: boolean | null;
  push_protection_bypassed_by?: { login: string } | null;
  push_protection_bypassed_at?: string | null;
}
/** Code scanning and Dependabot alerts share what these checks read. */
export interface AlertRecord {
  number: number;
  html_url: string;
  state: string;
  created_at: string;
  dismissed_at?: string | null;
  dismissed_by?: { login: string } | null;
  dismissed_reason?: string | null;
  severity: string;
  title: string;
  tool: 'code-scanning' | 'dependabot';
}

const daysSince = (iso: string, now: Date) => (now.getTime() - Date.parse(iso)) / 86_400_000;

export function pushProtectionFindings(alerts: SecretAlertRecord[]): OperateFinding[] {
  return alerts
    .filter((a) => a.push_protection_bypassed)
    .map((a) => ({
      detection: 'alert-push-protection-bypass',
      key: `secret-scanning:${a.number}`,
      severity: a.state === 'open' ? ('high' as const) : ('medium' as const),
      target: `secret scanning alert ${a.number}`,
      url: a.html_url,
      ...(a.push_protection_bypassed_at ? { time: a.push_protection_bypassed_at } : {}),
      ...(a.push_protection_bypassed_by ? { actor: a.push_protection_bypassed_by.login } : {}),
      evidence: { state: a.state, secret_type: a.secret_type_display_name ?? null },
      message: `${a.push_protection_bypassed_by?.login ?? 'someone'} pushed a ${a.secret_type_display_name ?? 'secret'} past push protection (alert ${a.number}, ${a.state})`,
    }));
}

/** Alerts dismissed after `since` (the previous audit), and critical/high alerts open past their deadline. */
export function alertFindings(
  alerts: AlertRecord[],
  since: Date,
  sla: { critical: number; high: number },
  now: Date,
): OperateFinding[] {
  const out: OperateFinding[] = [];
  for (const a of alerts) {
    const name = `${a.tool} alert ${a.number}`;
    if (a.state === 'dismissed' && a.dismissed_at && Date.parse(a.dismissed_at) > since.getTime()) {
      out.push({
        detection: 'alert-dismissed',
        key: `${a.tool}:${a.number}`,
        severity: 'medium',
        target: name,
        url: a.html_url,
        time: a.dismissed_at,
        ...(a.dismissed_by ? { actor: a.dismissed_by.login } : {}),
        evidence: { reason: a.dismissed_reason ?? null, severity: a.severity },
        message: `${a.dismissed_by?.login ?? 'someone'} dismissed ${name} (${a.severity}: ${a.title}) as ${a.dismissed_reason ?? 'no reason'}`,
      });
    }
    const limit = a.severity === 'critical' ? sla.critical : a.severity === 'high' ? sla.high : null;
    if (a.state === 'open' && limit !== null && daysSince(a.created_at, now) > limit) {
      out.push({
        detection: 'alert-past-sla',
        key: `${a.tool}:${a.number}`,
        severity: a.severity === 'critical' ? 'critical' : 'high',
        target: name,
        url: a.html_url,
        time: a.created_at,
        evidence: { severity: a.severity, opened: a.created_at },
        message: `${name} (${a.severity}: ${a.title}) has been open ${Math.floor(daysSince(a.created_at, now))} days, past the ${limit}-day deadline`,
      });
    }
  }
  return out;
}
