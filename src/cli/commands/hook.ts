import { notBuilt } from './not-built.js';

export const command = notBuilt('hook', 'hook', 'Usage: secure-repo hook [flags]\n');
