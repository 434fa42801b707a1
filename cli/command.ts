/** The shape of a CLI command; each lives in cli/commands/ and is listed in cli/main.ts. */
export type CliCommand = {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code. Throw CliError for a one-line failure. */
  run(args: string[]): Promise<number>;
};

/** A failure the operator can act on: printed as one line, exit code 1 (or `exitCode`). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
