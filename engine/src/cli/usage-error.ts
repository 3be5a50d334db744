/** A command line the CLI cannot run (unknown command or option, missing argument): exit code 2 with usage. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage to show, or undefined for the general one. */
    readonly command?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}
