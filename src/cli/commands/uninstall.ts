import { notBuilt } from './not-built.js';

export const command = notBuilt('uninstall', 'uninstall', 'Usage: secure-repo uninstall [flags]\n');
