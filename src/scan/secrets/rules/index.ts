import type { SecretRule } from '../rule.js';
import { aiRules } from './ai.js';
import { cloudRules } from './cloud.js';
import { codeHostRules } from './code-hosts.js';
import { genericRules } from './generic.js';
import { infrastructureRules } from './infrastructure.js';
import { keyRules } from './keys.js';
import { messagingRules } from './messaging.js';
import { observabilityRules } from './observability.js';
import { paymentRules } from './payments.js';
import { registryRules } from './registries.js';
import { saasRules } from './saas.js';
import { secretsManagerRules } from './secrets-managers.js';
import { urlRules } from './urls.js';

/** Every built-in secret rule, grouped by provider family. */
export const BUILTIN_RULES: readonly SecretRule[] = [
  ...cloudRules,
  ...codeHostRules,
  ...registryRules,
  ...paymentRules,
  ...messagingRules,
  ...aiRules,
  ...observabilityRules,
  ...secretsManagerRules,
  ...saasRules,
  ...keyRules,
  ...infrastructureRules,
  ...urlRules,
  ...genericRules,
];
