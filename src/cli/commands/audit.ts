import { notBuilt } from './not-built.js';

export const command = notBuilt('audit', 'audit', 'Usage: secure-repo audit [flags]\n');
