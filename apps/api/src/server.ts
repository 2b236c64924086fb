import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { createDatabase, type PatternloopDatabase } from "@patternloop/db";
import { trainPredictor } from "@patternloop/validator";
import { createApp } from "./app.js";
import type { AppDeps } from "./app-deps.js";
import { type ClientAbortLog, createClientAbortLog } from "./client-abort-log.js";

export interface ServerOptions {
  databaseUrl: string;
  port?: number;
  host?: string;
  /** Bearer token for writes; the server refuses to start without one unless `localOnly`. */
  token?: string;
  /** Start without a token; only allowed on a loopback address. */
  localOnly?: boolean;
  bodyLimit?: number;
  log?: (line: string) => void;
}

export interface RunningServer {
  /** `http://host:port`. */
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

/** Refusals to start, each one clear line. */
export class ServerStartError extends Error {
  override name = "ServerStartError";
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;

/**
 * Opens the database, trains the predictor on its history and listens. Without a token the server starts
 * only when told it is local-only and bound to loopback.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  const token = options.token?.trim() || undefined;
  if (token === undefined && !options.localOnly) {
    throw new ServerStartError(
      "no token: set PATTERNLOOP_TOKEN (every write must carry it), or pass --local-only to serve loopback without one",
    );
  }
  if (options.localOnly && !LOOPBACK.test(host))
    throw new ServerStartError(`--local-only serves loopback only, not ${host}`);
  const database = await createDatabase(options.databaseUrl, {
    create: true,
    // Keeps SQLite's log copies and fsyncs out of the commits that the requests wait for.
    backgroundCheckpoints: {
      onError: (error) =>
        process.stderr.write(
          `patternloop: background checkpoints stopped, commits checkpoint again: ${error.message}\n`,
        ),
    },
  });
  let server: ServerType | undefined;
  const clientAborts = createClientAbortLog();
  try {
    const deps: AppDeps = {
      database,
      predictor: await trainPredictor(database.db),
      token,
      bodyLimit: options.bodyLimit,
      log: options.log,
      clientAborts,
    };
    const app = createApp(deps);
    const listening = await new Promise<ServerType>((resolve, reject) => {
      const instance = serve({ fetch: app.fetch, port: options.port ?? 8787, hostname: host }, () =>
        resolve(instance),
      );
      instance.once("error", reject);
    });
    server = listening;
    const { port } = listening.address() as AddressInfo;
    return {
      url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
      port,
      close: () => closeServer(listening, database, clientAborts),
    };
  } catch (error) {
    if (server !== undefined) server.close();
    await database.close();
    throw error;
  }
}

async function closeServer(
  server: ServerType,
  database: PatternloopDatabase,
  clientAborts: ClientAbortLog,
): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    // Idle keep-alive connections would hold close() open; in-flight requests still finish.
    (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  });
  clientAborts.flush();
  await database.close();
}
