/** Base class of the real failures `@patternloop/core` reports; expected outcomes are values, not errors. */
export class PatternloopCoreError extends Error {
  override name = "PatternloopCoreError";
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
