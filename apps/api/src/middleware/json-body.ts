import type { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";
import { apiError } from "../api-error.js";
import type { ClientAbortLog } from "../client-abort-log.js";

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Reads the request body once, refusing bodies over `maxBytes` (413, from the declared length when there is
 * one, else while reading) and bodies that are not valid UTF-8 (400) before anything parses them. The bytes
 * and text read here are what the JSON validator reads next. A body the client stops sending half-way
 * (it hung up) is noted in `aborts` and answered 400, to no one; it is not an error of the server.
 *
 * Under @hono/node-server the body is read straight from Node's request: going through the web `Request`
 * (a web stream over the Node stream, an `AbortSignal`, undici's body mixin) cost more than the rest of
 * a request's handling outside the database. Elsewhere (`app.request`, other runtimes) the web body is read.
 */
export function jsonBody({
  maxBytes,
  aborts,
}: {
  maxBytes: number;
  aborts: ClientAbortLog;
}): MiddlewareHandler {
  const tooLarge = (c: Context) => apiError(c, 413, "body_too_large", `request body over ${maxBytes} bytes`);
  return async (c, next) => {
    const declared = Number(c.req.header("content-length") ?? Number.NaN);
    if (declared > maxBytes) return tooLarge(c);
    const bytes = await readAtMost(bodySource(c), maxBytes);
    if (bytes === "too_large") return tooLarge(c);
    if (!(bytes instanceof Uint8Array)) {
      // Nobody may hear this answer: the client went away, or the server cut the connection as it stopped.
      aborts.record(`${c.req.method} ${c.req.path}`, bytes.incomplete);
      return apiError(c, 400, "incomplete_body", "the connection closed before the whole body arrived");
    }
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      return apiError(c, 400, "invalid_utf8", "request body is not valid UTF-8");
    }
    // Hono keeps promises of the body here (its type says values) and reads them before the raw request.
    const cache = c.req.bodyCache as Record<string, Promise<unknown>>;
    cache.arrayBuffer = Promise.resolve(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    );
    cache.text = Promise.resolve(text);
    return next();
  };
}

/** Node's request when served by @hono/node-server, else the web request's body stream (or nothing). */
function bodySource(c: Context): AsyncIterable<Uint8Array> | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming !== undefined) return incoming;
  return c.req.raw.body ?? undefined;
}

/** Why a body could not be read, in a few words: Node says `aborted (ECONNRESET)` for a client that hung up. */
function readFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `${error.message} (${code})` : error.message;
}

/**
 * All the bytes of `source`; `too_large` as soon as they are over `maxBytes`; why it stopped when the stream
 * fails before its end (Node's request does when its connection closes half-way through the body).
 */
async function readAtMost(
  source: AsyncIterable<Uint8Array> | undefined,
  maxBytes: number,
): Promise<Uint8Array | "too_large" | { incomplete: string }> {
  if (source === undefined) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > maxBytes) return "too_large";
      chunks.push(chunk);
    }
  } catch (error) {
    return { incomplete: readFailure(error) };
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/** Refuses a body that is not declared as JSON (415), so the client hears what is wrong with it. */
export const requireJson: MiddlewareHandler = async (c, next) => {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type.trim())) {
    return apiError(
      c,
      415,
      "unsupported_media_type",
      `send Content-Type: application/json (got ${type === "" ? "none" : JSON.stringify(type)})`,
    );
  }
  return next();
};
