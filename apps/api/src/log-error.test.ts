import { afterEach, describe, expect, it, vi } from "vitest";
import { logError } from "./log-error.js";

describe("logError", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("writes one line, the stack and the code included, whatever the message holds", () => {
    const written: unknown[][] = [];
    vi.spyOn(console, "error").mockImplementation((...args) => {
      written.push(args);
    });
    const error = Object.assign(new Error('unknown run "wf-1\n[api] forged line\u001b[2K"'), {
      code: "E_TEST",
    });
    logError("unhandled error", error);
    expect(written).toHaveLength(1);
    const [line] = written[0] as [string];
    expect(line).toMatch(
      /^\[api\] unhandled error: Error: unknown run "wf-1\\n\[api\] forged line\\u001b\[2K"\\n {4}at /,
    );
    expect(line).toContain("code: 'E_TEST'");
    expect(line).not.toMatch(/\p{Cc}/u);
  });
});
