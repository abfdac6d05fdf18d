import { afterAll, describe, expect, test } from 'vitest';
import { exitFor, found, quietRepository, type Quiet } from './fixtures.js';

const open: Quiet[] = [];
afterAll(async () => {
  await Promise.all(open.map((q) => q.close()));
});
async function quiet(): Promise<Quiet> {
  const q = await quietRepository();
  open.push(q);
  return q;
}

describe('Operate audit of a quiet repository', () => {
  test('audits clean: every detection looked and found nothing; nothing invalid was sent', async () => {
    const q = await quiet();
    const first = await q.audit();
    expect(found(first.checks)).toEqual([]);
    expect(first.checks.filter((c) => c.status === 'not-checked')).toEqual([]);
    expect(first.checks.filter((c) => c.status === 'pass').length).toBeGreaterThanOrEqual(30);
    expect(first.code).toBe(exitFor(first.all));
    const second = await q.audit();
    expect(found(second.checks)).toEqual([]);
    expect(q.server.invalid).toEqual([]);
    expect(q.server.invalidResponses).toEqual([]);
    expect(first.stdout + first.stderr).not.toContain('FAKEtoken');
  });
});
