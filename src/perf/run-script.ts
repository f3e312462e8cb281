/* How a benchmark script runs as a program: its main, with an error as one line and exit status 1. */
export function runScript(main: (argv: string[]) => unknown): void {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
