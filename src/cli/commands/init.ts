import { notBuilt } from './not-built.js';

export const command = notBuilt('init', 'init', 'Usage: secure-repo init [flags]\n');
