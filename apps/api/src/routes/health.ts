import { escapeLogText } from "@patternloop/core";
import { PatternloopDbError, probeWrite } from "@patternloop/db";
import { Hono } from "hono";
import type { AppDeps } from "../app-deps.js";

/** Something `/healthz` found not working: which check, the error's code, and its one line. */
interface Problem {
  check: "read" | "write";
  /** The `PatternloopDbError` code (`disk_full`, `read_only`, `busy`, …), or `failed` for another error. */
  code: string;
  message: string;
}

/**
 * `GET /healthz`: whether the database answers a read and takes a write, and how many `/v1` requests the
 * server is handling (`requests_in_flight`, which a graceful restart can wait on). 200 with
 * `status: "ok"` when both work; else 503 with `status: "degraded"` and the `problems` found, each naming
 * what fails (a full disk, a read-only file, a busy lock, a lost server).
 */
export function healthRoutes({ database }: AppDeps, inFlight: () => number): Hono {
  return new Hono().get("/", async (c) => {
    const problems: Problem[] = [];
    let patterns = 0;
    try {
      const row = await database.db
        .selectFrom("operation_patterns")
        .select((eb) => eb.fn.countAll<number>().as("patterns"))
        .executeTakeFirstOrThrow();
      patterns = Number(row.patterns);
    } catch (error) {
      problems.push(problemOf("read", error));
    }
    const write = await probeWrite(database.db);
    if (!write.ok) problems.push(problemOf("write", write.error));
    if (problems.length === 0)
      return c.json({ status: "ok", engine: database.engine, patterns, requests_in_flight: inFlight() });
    const summary = problems.map((p) => `${p.check}: ${p.message}`).join("; ");
    console.error(`[api] health check: ${escapeLogText(summary)}`);
    return c.json(
      { status: "degraded", engine: database.engine, problems, requests_in_flight: inFlight() },
      503,
    );
  });
}

function problemOf(check: Problem["check"], error: unknown): Problem {
  const code = error instanceof PatternloopDbError ? error.code : "failed";
  const message = error instanceof Error ? error.message.split("\n")[0] || error.name : String(error);
  return { check, code, message };
}
