import { notBuilt } from './not-built.js';

export const command = notBuilt('protect', 'protect', 'Usage: secure-repo protect [flags]\n');
