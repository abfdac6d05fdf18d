import { notBuilt } from './not-built.js';

export const command = notBuilt('doctor', 'doctor', 'Usage: secure-repo doctor [flags]\n');
