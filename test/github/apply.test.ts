import { describe, expect, test } from 'vitest';
import { applyPlan } from '../../src/github/apply.js';
import type { GitHubClient } from '../../src/github/client.js';
import type { Operation, ProtectPlan } from '../../src/github/types.js';

/** A client that answers each route from a table: a status to fail with, or success. Records what was sent. */
function fakeClient(fail: Record<string, number>): { client: GitHubClient; sent: string[] } {
  const sent: string[] = [];
  const client = {
    request: (route: string) => {
      sent.push(route);
      const status = fail[route];
      if (status === undefined) return Promise.resolve({ status: 204, data: null, headers: {} });
      return Promise.reject(
        Object.assign(new Error(`HTTP ${status}`), {
          status,
          response: {
            status,
            data: { message: status === 401 ? 'Bad credentials' : 'Validation Failed' },
            headers: {},
          },
        }),
      );
    },
  } as unknown as GitHubClient;
  return { client, sent };
}

const op = (route: string, setting: string): Operation => ({
  route,
  params: {},
  description: setting,
  settings: [setting],
});

function plan(operations: Operation[]): ProtectPlan {
  return {
    repository: 'o/r',
    branch: 'main',
    mechanism: 'rulesets',
    changes: operations.map((o) => ({ target: o.settings[0]!, action: 'update', reason: 'off → on' })),
    operations,
    notes: [],
    blocked: null,
  };
}

const three = [op('PUT /a', 'first'), op('PUT /b', 'second'), op('PUT /c', 'third')];

/** The apply branches the mutation pass over src/github showed no test would notice removing. */
describe('applying a plan', () => {
  test('a bad token stops the run: later requests are not sent, and their settings say so', async () => {
    const { client, sent } = fakeClient({ 'PUT /a': 401 });
    const r = await applyPlan(client, plan(three));
    expect(sent).toEqual(['PUT /a']);
    expect(r.writes).toBe(1);
    expect(r.fatal).toMatchObject({ status: 401 });
    expect(r.changes.map((c) => [c.target, c.action])).toEqual([
      ['first', 'failed'],
      ['second', 'skip'],
      ['third', 'skip'],
    ]);
    expect(r.changes[1]!.reason).toBe('not attempted: an earlier request failed');
  });

  test('a refusal of one setting is not fatal: the rest is still sent', async () => {
    const { client, sent } = fakeClient({ 'PUT /a': 422 });
    const r = await applyPlan(client, plan(three));
    expect(sent).toEqual(['PUT /a', 'PUT /b', 'PUT /c']);
    expect(r.fatal).toBeNull();
    expect(r.changes.map((c) => c.action)).toEqual(['failed', 'update', 'update']);
  });
});
