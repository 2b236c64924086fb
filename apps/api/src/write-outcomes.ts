import type { PatternloopDbError } from "@patternloop/db";

/** A storage failure a real write request met: its code, its one line, and when. */
export interface WriteFailure {
  code: string;
  message: string;
  /** ISO time. */
  at: string;
}

/**
 * What the server has seen of its own writes. A health probe's tiny commit can succeed where the writes of
 * real requests fail (on a full disk it fits in log pages SQLite reuses), so `/healthz` also reports the
 * last storage failure of a real write for as long as no write has succeeded since.
 */
export interface WriteOutcomes {
  /** A write request failed for its storage (busy, full, read-only, …). */
  failed(error: PatternloopDbError): void;
  /** A write request stored what it was sent. */
  succeeded(): void;
  /** A check found the storage working again, so the last failure no longer says what is. */
  recovered(): void;
  /** The last failure, while no write has succeeded since; else undefined. */
  failing(): WriteFailure | undefined;
  /** When a write request last stored something (ISO time), if one has. */
  lastSuccessAt(): string | undefined;
}

export function createWriteOutcomes(now: () => Date = () => new Date()): WriteOutcomes {
  let failure: WriteFailure | undefined;
  let success: string | undefined;
  return {
    failed(error) {
      failure = { code: error.code, message: error.message.split("\n")[0] ?? "", at: now().toISOString() };
    },
    succeeded() {
      failure = undefined;
      success = now().toISOString();
    },
    recovered() {
      failure = undefined;
    },
    failing: () => failure,
    lastSuccessAt: () => success,
  };
}
