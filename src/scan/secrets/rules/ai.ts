import { ALNUM, B64URL, HEX, assignedRule, tokenRule, type SecretRule } from '../rule.js';

/** AI platforms: OpenAI, Anthropic, Hugging Face and other model APIs. */
export const aiRules: SecretRule[] = [
  tokenRule({
    id: 'openai-api-key',
    description: 'OpenAI API key',
    severity: 'critical',
    parts: ['sk-', { oneOf: ['proj-', 'svcacct-', 'admin-', ''] }, [B64URL, 20, 74], 'T3BlbkFJ', [B64URL, 20, 74]],
    keywords: ['t3blbkfj'],
    sample: (rng) =>
      `sk-${rng.pick(['proj-', 'svcacct-', ''])}${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', rng.int(20, 74))}T3BlbkFJ${rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-', rng.int(20, 74))}`,
    rotate: 'platform.openai.com → API keys: revoke the key and create a new one.',
  }),
  tokenRule({
    id: 'anthropic-api-key',
    description: 'Anthropic API key',
    severity: 'critical',
    parts: ['sk-ant-', { oneOf: ['api03-', 'admin01-'] }, [B64URL, 93], 'AA'],
    rotate: 'console.anthropic.com → API keys: disable and delete the key.',
  }),
  tokenRule({ id: 'huggingface-token', description: 'Hugging Face access token', severity: 'high', parts: ['hf_', ['A-Za-z', 34]], entropy: 3.5 }),
  tokenRule({ id: 'huggingface-org-token', description: 'Hugging Face organization API token', severity: 'high', parts: ['api_org_', ['A-Za-z', 34]], entropy: 3.5 }),
  tokenRule({ id: 'groq-api-key', description: 'Groq API key', severity: 'high', parts: ['gsk_', [ALNUM, 52]] }),
  tokenRule({ id: 'replicate-api-token', description: 'Replicate API token', severity: 'high', parts: ['r8_', [ALNUM, 37]], entropy: 3.5 }),
  tokenRule({ id: 'perplexity-api-key', description: 'Perplexity API key', severity: 'high', parts: ['pplx-', [ALNUM, 48]] }),
  tokenRule({ id: 'xai-api-key', description: 'xAI API key', severity: 'high', parts: ['xai-', [ALNUM, 80]] }),
  tokenRule({ id: 'openrouter-api-key', description: 'OpenRouter API key', severity: 'high', parts: ['sk-or-v1-', [HEX, 64]] }),
  tokenRule({ id: 'langsmith-api-key', description: 'LangSmith API key', severity: 'high', parts: ['lsv2_', { oneOf: ['pt_', 'sk_'] }, [HEX, 32], '_', [HEX, 10]] }),
  tokenRule({ id: 'pinecone-api-key', description: 'Pinecone API key', severity: 'high', parts: ['pcsk_', [ALNUM, 5, 6], '_', [ALNUM, 60, 70]] }),
  assignedRule({
    id: 'cohere-api-key',
    description: 'Cohere API key',
    severity: 'high',
    names: 'co(?:here)?[_.-]api[_.-]?key',
    sampleNames: ['COHERE_API_KEY', 'co_api_key'],
    keywords: ['cohere', 'co_api', 'co-api'],
    value: [[ALNUM, 40]],
    entropy: 3.5,
  }),
  assignedRule({
    id: 'mistral-api-key',
    description: 'Mistral AI API key',
    severity: 'high',
    names: 'mistral[_.-]?(?:ai[_.-]?)?api[_.-]?key',
    sampleNames: ['MISTRAL_API_KEY'],
    keywords: ['mistral'],
    value: [[ALNUM, 32]],
    entropy: 3.5,
  }),
];
