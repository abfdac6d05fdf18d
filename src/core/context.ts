/** What a command gets from the process: streams, environment and working directory, injectable for tests. */
export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** True when prompts may be shown: stdin and stdout are terminals and CI is not set. */
  interactive: boolean;
  version: string;
}

export interface Command {
  /** One line for the command list. */
  summary: string;
  /** Full --help text. */
  help: string;
  run(args: string[], ctx: CommandContext): Promise<number>;
}
