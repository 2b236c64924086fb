import { escapeLogText } from "@patternloop/core";
import { countPatterns, hasRoomToWrite, PatternloopDbError, probeWrite } from "@patternloop/db";
import { Hono } from "hono";
import type { AppDeps } from "../app-deps.js";
import type { WriteOutcomes } from "../write-outcomes.js";

/**
 * How long the write probe waits (for another process's lock) before `/healthz` reports the database busy:
 * a check that took a write's full 10 s wait would outlast its caller's timeout.
 */
const PROBE_WAIT_MS = 1_000;

/** Something `/healthz` found not working: which check, the error's code, and its one line. */
interface Problem {
  /** `read` and `write` are probes run now; `recent_writes` is what the last real write request met. */
  check: "read" | "write" | "recent_writes";
  /** The `PatternloopDbError` code (`disk_full`, `read_only`, `busy`, …), or `failed` for another error. */
  code: string;
  message: string;
  /** When a `recent_writes` failure happened (ISO time). */
  at?: string;
}

/**
 * `GET /healthz`: whether the database answers a read and takes a write, whether the writes of real requests
 * have been failing, and how many `/v1` requests the server is handling (`requests_in_flight`, which a
 * graceful restart can wait on). 200 with `status: "ok"` when all is well; else 503 with
 * `status: "degraded"` and the `problems` found, each naming what fails (a full disk, a read-only file, a
 * busy lock, a lost server). `last_write_at` is when a request last stored something.
 */
export function healthRoutes({ database }: AppDeps, inFlight: () => number, writes: WriteOutcomes): Hono {
  return new Hono().get("/", async (c) => {
    const problems: Problem[] = [];
    let patterns = 0;
    try {
      patterns = await countPatterns(database.db);
    } catch (error) {
      problems.push(problemOf("read", error));
    }
    const write = await probeWrite(database.db, { waitMs: PROBE_WAIT_MS, url: database.url });
    if (!write.ok) problems.push(problemOf("write", write.error));
    const failing = writes.failing();
    // The probe's success ends a real write's failure only where it tests the same thing: it takes the lock
    // and commits to the file, but its commit is too small to show the disk has room again.
    if (failing !== undefined && write.ok && (failing.code !== "disk_full" || hasRoomToWrite(database)))
      writes.recovered();
    else if (failing !== undefined) problems.push({ check: "recent_writes", ...failing });
    const lastWriteAt = writes.lastSuccessAt();
    if (problems.length === 0)
      return c.json({
        status: "ok",
        engine: database.engine,
        patterns,
        requests_in_flight: inFlight(),
        last_write_at: lastWriteAt,
      });
    const summary = problems.map((p) => `${p.check}: ${p.message}`).join("; ");
    console.error(`[api] health check: ${escapeLogText(summary)}`);
    return c.json(
      {
        status: "degraded",
        engine: database.engine,
        problems,
        requests_in_flight: inFlight(),
        last_write_at: lastWriteAt,
      },
      503,
    );
  });
}

function problemOf(check: Problem["check"], error: unknown): Problem {
  const code = error instanceof PatternloopDbError ? error.code : "failed";
  const message = error instanceof Error ? error.message.split("\n")[0] || error.name : String(error);
  return { check, code, message };
}
