import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createClientAbortLog } from "../client-abort-log.js";
import { jsonBody } from "./json-body.js";

/** A body that sends its first bytes, then fails, as a connection closed half-way through it does. */
function bodyCutShort(): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) controller.error(new Error("aborted"));
      else controller.enqueue(new TextEncoder().encode('{"status": "compl'));
      sent = true;
    },
  });
}

describe("jsonBody", () => {
  it("answers a body cut short with 400 incomplete_body, notes it once, and the handler never runs", async () => {
    let handled = false;
    const lines: string[] = [];
    const aborts = createClientAbortLog((line) => lines.push(line));
    const app = new Hono().post("/", jsonBody({ maxBytes: 1024, aborts }), (c) => {
      handled = true;
      return c.json({ ok: true });
    });
    const answer = await app.request(
      new Request("http://localhost/", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: bodyCutShort(),
        duplex: "half",
      } as RequestInit),
    );
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: "incomplete_body" } });
    expect(handled).toBe(false);
    expect(lines).toEqual(["[api] POST /: the client went away mid-body (aborted)"]);
  });
});
