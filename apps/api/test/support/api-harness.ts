import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import type { SavingsModel } from "@patternloop/core";
import type { DatabaseEngine } from "@patternloop/db";
import { type TestDatabase, useFreshDatabase } from "@patternloop/db/testing";
import { createPredictor } from "@patternloop/validator";
import type { Hono } from "hono";
import { afterEach } from "vitest";
import { createApp } from "../../src/app.js";
import { type HookWorker, startHookWorker } from "../../src/hook-worker.js";

export { ENGINES, PG_URL } from "@patternloop/db/testing";

/** The bearer token of every in-process app. */
export const TOKEN = "test-token-6b1d9e";
export const JSON_WRITE = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

export interface ApiHarnessOptions {
  bodyLimit?: number;
  /** `null` builds a local-only app (no token); default {@link TOKEN}. */
  token?: string | null;
  /**
   * How requests reach the app: `app.request()` (default), or a real @hono/node-server listening on a
   * loopback port, which reads bodies from Node's request rather than a web stream.
   */
  transport?: Transport;
  /** What the savings figures served assume; the default model otherwise. */
  savings?: SavingsModel;
}

export type Transport = "app.request" | "node http";
export const TRANSPORTS: readonly Transport[] = ["app.request", "node http"];

/** The address of each app served over HTTP by {@link useApi}; {@link send} goes there. */
const servedAt = new WeakMap<Hono, string>();

/** The worker applying each app's hook events, which {@link send} waits for after a hook payload. */
const workers = new WeakMap<Hono, HookWorker>();

/** One test's app on its own fresh database, what the app logged, and the worker applying its hook events. */
export interface ApiHarness extends TestDatabase {
  app: Hono;
  logs: string[];
  hooks: HookWorker;
}

/**
 * Registers, in the current `describe`, a fresh migrated database per test (SQLite file or PostgreSQL
 * schema) and an app on it; call the returned function inside a test.
 */
export function useApi(engine: DatabaseEngine, options: ApiHarnessOptions = {}): () => Promise<ApiHarness> {
  const fresh = useFreshDatabase(engine);
  let current: ApiHarness | undefined;
  let server: ServerType | undefined;
  afterEach(async () => {
    // Before the database closes (its own afterEach runs after this one).
    await current?.hooks.stop();
    const closing = server;
    server = undefined;
    if (closing !== undefined) await new Promise((resolve) => closing.close(resolve));
  });
  return async () => {
    const database = fresh();
    if (current?.handle !== database.handle) {
      const logs: string[] = [];
      const predictor = createPredictor();
      const hooks = startHookWorker(database.handle, { predictor, log: (line) => logs.push(line) });
      const app = createApp({
        database: database.handle,
        predictor,
        hooks,
        ...(options.token === null ? { localOnly: true } : { token: options.token ?? TOKEN }),
        bodyLimit: options.bodyLimit,
        savings: options.savings,
        log: (line) => logs.push(line),
      });
      if (options.transport === "node http") {
        const listening = await listen(app);
        server = listening.server;
        servedAt.set(app, listening.url);
      }
      workers.set(app, hooks);
      current = { ...database, app, logs, hooks };
    }
    return current;
  };
}

function listen(app: Hono): Promise<{ server: ServerType; url: string }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({ server, url: `http://127.0.0.1:${info.port}` }),
    );
  });
}

/** A response: status, the parsed JSON body (undefined when not JSON) and its text. */
export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read into JSON answers freely
  body: any;
  text: string;
  contentType: string | null;
  /** What became of a hook payload (`kept`, `duplicate`, `ignored`); null for other requests. */
  hook: string | null;
}

/**
 * Sends a request through `app.request()` (no network), or over HTTP to an app {@link useApi} serves. A
 * non-string body is sent as JSON. After a hook payload, waits until the app's worker has applied what the
 * receiver kept, so that the test sees its effect.
 */
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
  const init = { method, headers, body: payload as RequestInit["body"] };
  const url = servedAt.get(app);
  const response = url === undefined ? await app.request(path, init) : await fetch(`${url}${path}`, init);
  const text = await response.text();
  if (path.startsWith("/v1/hooks/")) await workers.get(app)?.settled();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return {
    status: response.status,
    body: parsed,
    text,
    contentType: response.headers.get("content-type"),
    hook: response.headers.get("patternloop-hook"),
  };
}

export const post = (app: Hono, path: string, body?: unknown, headers?: Record<string, string>) =>
  send(app, "POST", path, body, headers);
export const get = (app: Hono, path: string) => send(app, "GET", path, undefined, {});
