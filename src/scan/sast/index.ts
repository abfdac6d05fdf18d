import type { Config } from '../../config/types.js';
import type { Detector } from '../types.js';

/** SAST detector factory (ast-grep rules). Placeholder until the rule engine lands: matches nothing. */
export async function createSastDetector(_config: Config): Promise<Detector> {
  return { kind: 'sast', wants: () => false, detect: () => [] };
}
