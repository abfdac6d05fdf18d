import { notBuilt } from './not-built.js';

export const command = notBuilt('signing', 'signing', 'Usage: secure-repo signing [flags]\n');
