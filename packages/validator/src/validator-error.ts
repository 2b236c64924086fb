/** Codes of {@link PatternloopValidatorError}. */
export type ValidatorErrorCode =
  /** A Claude Code session points at a run that is not stored (`completeRuns` answers an unknown run as a value). */
  "unknown_run" | "unknown_pattern" | "illegal_transition" | "invalid_input";

/** The one error class `@patternloop/validator` throws on purpose; `message` is one line naming the problem. */
export class PatternloopValidatorError extends Error {
  override name = "PatternloopValidatorError";
  constructor(
    readonly code: ValidatorErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
