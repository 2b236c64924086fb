import { afterEach, describe, expect, it, vi } from "vitest";
import { createClientAbortLog } from "./client-abort-log.js";

describe("createClientAbortLog", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("logs the first aborts of a window one short line each, then counts the rest when the window ends", () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const aborts = createClientAbortLog((line) => lines.push(line), { first: 2, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) aborts.record("POST /v1/runs", "aborted (ECONNRESET)");
    expect(lines).toEqual([
      "[api] POST /v1/runs: the client went away mid-body (aborted (ECONNRESET))",
      "[api] POST /v1/runs: the client went away mid-body (aborted (ECONNRESET))",
    ]);
    vi.advanceTimersByTime(60_000);
    expect(lines.slice(2)).toEqual(["[api] … and 3 more requests whose client went away mid-body"]);
    aborts.record("POST /v1/hooks/claude-code", "aborted");
    expect(lines).toHaveLength(4);
  });

  it("writes what is pending on flush, and escapes what the client chose", () => {
    const lines: string[] = [];
    const aborts = createClientAbortLog((line) => lines.push(line), { first: 1 });
    aborts.record("POST /v1/runs/wf\n[api] forged/complete", "aborted");
    aborts.record("POST /v1/runs", "aborted");
    aborts.flush();
    aborts.flush();
    expect(lines).toEqual([
      "[api] POST /v1/runs/wf\\n[api] forged/complete: the client went away mid-body (aborted)",
      "[api] … and 1 more request whose client went away mid-body",
    ]);
  });
});
