import { notBuilt } from './not-built.js';

export const command = notBuilt('pins', 'pins', 'Usage: secure-repo pins [flags]\n');
