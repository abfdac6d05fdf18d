export interface HookPlanOptions {
  /** What the target's devDependency on this tool points to, e.g. `create-secure-repo@^1.2.3` or a tarball path. */
  packageSpec: string;
  /** Run the package manager's install (false with --no-install). */
  install: boolean;
  /** Absolute path of the CLI entry to record for the hooks (GUI clients have no PATH). */
  toolPath?: string;
}
