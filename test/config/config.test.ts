import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { defaultConfig } from '../../src/config/defaults.js';
import { configSchema, parseConfig } from '../../src/config/load.js';
import { validate } from '../../src/config/validate.js';

const schemaJson = JSON.parse(readFileSync(new URL('../../schema/secure-repo.schema.json', import.meta.url), 'utf8'));

describe('the published JSON Schema and the built-in validator agree', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const check = ajv.compile(schemaJson);

  const samples: [string, unknown, boolean][] = [
    ['defaults', defaultConfig(), true],
    ['empty', {}, true],
    [
      'custom rule',
      { scan: { rules: [{ id: 'acme-key', regex: 'acme_[a-z0-9]{32}', keywords: ['acme_'], severity: 'high' }] } },
      true,
    ],
    [
      'allow value',
      {
        scan: {
          allowValues: [{ value: 'sha256:abc', rule: 'generic-secret', reason: 'fixture', expires: '2027-01-01' }],
        },
      },
      true,
    ],
    ['bad severity', { scan: { failOn: 'severe' } }, false],
    ['unknown key', { hooks: { manger: 'husky' } }, false],
    ['bad stage', { stages: ['code', 'ship'] }, false],
    ['approvals too many', { protection: { requiredApprovals: 9 } }, false],
    ['approvals not integer', { protection: { requiredApprovals: 1.5 } }, false],
    ['approvals auto', { protection: { requiredApprovals: 'auto' } }, true],
    ['approvals other word', { protection: { requiredApprovals: 'some' } }, false],
    ['rule without regex', { scan: { rules: [{ id: 'x' }] } }, false],
    ['bad rule id', { scan: { rules: [{ id: 'Bad Id', regex: 'x' }] } }, false],
    ['bad expiry', { scan: { allowValues: [{ value: 'x', expires: 'soon' }] } }, false],
    ['wrong type', { hooks: { preCommit: { run: 'npm test' } } }, false],
    ['null branch ok', { protection: { branch: null } }, true],
  ];
  it.each(samples)('%s', (_name, value, valid) => {
    expect(check(value)).toBe(valid);
    expect(validate(value, configSchema()).length === 0).toBe(valid);
  });
});

describe('parseConfig', () => {
  it('merges user settings over defaults', async () => {
    const { config } = await parseConfig(
      'scan:\n  failOn: critical\n  allowPaths: [fixtures/**]\n',
      '/r/.secure-repo.yml',
    );
    expect(config.scan.failOn).toBe('critical');
    expect(config.scan.allowPaths).toEqual(['fixtures/**']);
    expect(config.scan.maxFileSize).toBe(defaultConfig().scan.maxFileSize);
    expect(config.protection.requireSignedCommits).toBe(true);
  });

  it('round-trips the defaults', async () => {
    const { config } = await parseConfig(stringify(defaultConfig()), '/r/.secure-repo.yml');
    expect(config).toEqual(defaultConfig());
  });

  it.each([
    ['version: 1\nstages: [code, ship]\n', /:2: stages\.1 must be one of/],
    ['version: 2\n', /:1: version must be one of 1/],
    ['- a\n- b\n', /must be a mapping/],
    ['scan:\n  rules:\n    - id: x\n', /:3: scan\.rules\.0 is missing the required key "regex"/],
    ['a: [\n', /malformed YAML/],
  ])('rejects %j with file and line', async (text, re) => {
    await expect(parseConfig(text, '/r/.secure-repo.yml')).rejects.toThrow(re);
  });
});
