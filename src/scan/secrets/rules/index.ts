import type { SecretRule } from '../rule.js';
import { aiRules } from './ai.js';
import { cloudRules } from './cloud.js';
import { codeHostRules } from './code-hosts.js';
import { frameworkRules } from './frameworks.js';
import { genericRules } from './generic.js';
import { infrastructureRules } from './infrastructure.js';
import { keyRules } from './keys.js';
import { messagingRules } from './messaging.js';
import { observabilityRules } from './observability.js';
import { paymentRules } from './payments.js';
import { registryRules } from './registries.js';
import { saasRules } from './saas.js';
import { secretsManagerRules } from './secrets-managers.js';
import { toolRules } from './tools.js';
import { urlRules } from './urls.js';

/** The built-in rules by provider family, in order: the README's rule table lists the same groups (a test checks). */
export const RULE_GROUPS: Readonly<Record<string, readonly SecretRule[]>> = {
  cloud: cloudRules,
  'code-hosts': codeHostRules,
  registries: registryRules,
  payments: paymentRules,
  messaging: messagingRules,
  ai: aiRules,
  observability: observabilityRules,
  'secrets-managers': secretsManagerRules,
  saas: saasRules,
  keys: keyRules,
  infrastructure: infrastructureRules,
  frameworks: frameworkRules,
  tools: toolRules,
  urls: urlRules,
  generic: genericRules,
};

/** Every built-in secret rule, grouped by provider family. */
export const BUILTIN_RULES: readonly SecretRule[] = Object.values(RULE_GROUPS).flat();
