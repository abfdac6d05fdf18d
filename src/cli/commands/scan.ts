import { notBuilt } from './not-built.js';

export const command = notBuilt('scan', 'scan', 'Usage: secure-repo scan [flags]\n');
