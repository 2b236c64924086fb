import { completion, forkTypeScript } from "./typescript-child.js";

/** How a child process ended: its exit code and everything it printed. */
export interface ChildEnd {
  code: number | null;
  output: string;
}

/**
 * Starts `script` once per entry of `argsOf` and moves the children through `steps` pauses together: each
 * pause lasts until every child has reported it (see {@link nextStep}), then all go on at the same moment.
 * A child that dies before its next step fails this with what it printed, instead of leaving the test waiting
 * for a message that never comes. Resolves with how each child ended.
 */
export async function forkInLockStep(
  script: URL,
  argsOf: readonly (readonly string[])[],
  steps: number,
): Promise<ChildEnd[]> {
  const children = argsOf.map((args) => forkTypeScript(script, args));
  const done = children.map(completion);
  const next = (at: number) =>
    Promise.race([
      new Promise((resolve) => children[at]?.once("message", resolve)),
      (done[at] as Promise<ChildEnd>).then(({ code, output }) => {
        throw new Error(`a child exited (${code}) before its next step:\n${output}`);
      }),
    ]);
  for (let step = 0; step < steps; step++) {
    await Promise.all(children.map((_, at) => next(at)));
    for (const child of children) child.send("go");
  }
  return Promise.all(done);
}

/** In a child of {@link forkInLockStep}: tells the parent it reached `name` and waits for its signal to go on. */
export function nextStep(name: string): Promise<void> {
  return new Promise((resolve) => {
    process.once("message", () => resolve());
    process.send?.(name);
  });
}
