import type { DatabaseEngine } from "@patternloop/db";
import { createPredictor } from "@patternloop/validator";
import type { Hono } from "hono";
import { type TestDatabase, useFreshDatabase } from "../../../../packages/db/src/test-support/dialects.js";
import { createApp } from "../../src/app.js";

export { ENGINES, PG_URL } from "../../../../packages/db/src/test-support/dialects.js";

/** The bearer token of every in-process app. */
export const TOKEN = "test-token-6b1d9e";
export const JSON_WRITE = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

export interface ApiHarnessOptions {
  bodyLimit?: number;
  /** `null` builds a local-only app (no token); default {@link TOKEN}. */
  token?: string | null;
}

/** One test's app on its own fresh database, and what the app logged. */
export interface ApiHarness extends TestDatabase {
  app: Hono;
  logs: string[];
}

/**
 * Registers, in the current `describe`, a fresh migrated database per test (SQLite file or PostgreSQL
 * schema) and an app on it; call the returned function inside a test.
 */
export function useApi(engine: DatabaseEngine, options: ApiHarnessOptions = {}): () => ApiHarness {
  const fresh = useFreshDatabase(engine);
  let current: ApiHarness | undefined;
  return () => {
    const database = fresh();
    if (current?.handle !== database.handle) {
      const logs: string[] = [];
      const app = createApp({
        database: database.handle,
        predictor: createPredictor(),
        token: options.token === null ? undefined : (options.token ?? TOKEN),
        bodyLimit: options.bodyLimit,
        log: (line) => logs.push(line),
      });
      current = { ...database, app, logs };
    }
    return current;
  };
}

/** A response: status, the parsed JSON body (undefined when not JSON) and its text. */
export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read into JSON answers freely
  body: any;
  text: string;
  contentType: string | null;
}

/** Sends a request through `app.request()` (no network). A non-string body is sent as JSON. */
export async function send(
  app: Hono,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = JSON_WRITE,
): Promise<Answer> {
  const payload =
    body === undefined || typeof body === "string" || body instanceof Uint8Array
      ? body
      : JSON.stringify(body);
  const response = await app.request(path, { method, headers, body: payload as RequestInit["body"] });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text, contentType: response.headers.get("content-type") };
}

export const post = (app: Hono, path: string, body?: unknown, headers?: Record<string, string>) =>
  send(app, "POST", path, body, headers);
export const get = (app: Hono, path: string) => send(app, "GET", path, undefined, {});
