/** Codes of {@link PatternloopIngestError}. */
export type IngestErrorCode =
  /** The input named does not exist, is not a file, or is a binary file: nothing was read. */
  | "bad_input"
  /** No file was named and standard input is a terminal: there is nothing to read. */
  | "no_input"
  /** A transcript directory named does not exist or is not a directory, or none of the defaults exists. */
  | "bad_directory"
  /** A run the log left open could not be closed at its session's last payload. */
  | "close_failed";

/** The one error class `@patternloop/ingest` throws on purpose; `message` is one line naming the problem. */
export class PatternloopIngestError extends Error {
  override name = "PatternloopIngestError";
  constructor(
    readonly code: IngestErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
