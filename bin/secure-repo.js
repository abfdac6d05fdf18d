#!/usr/bin/env node
// Thin entry: everything, including the command table, is loaded lazily so that `secure-repo hook` starts fast.
import('../dist/cli/main.js').then(
  (cli) => cli.main(process.argv.slice(2)),
  (err) => {
    process.stderr.write(
      `secure-repo: the program could not start (${err && err.code ? err.code : 'load error'}). ` +
        'Reinstall it (npm install create-secure-repo) and try again.\n',
    );
    process.exitCode = 2;
  },
);
