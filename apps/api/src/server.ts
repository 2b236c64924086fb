import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import type { SavingsModel } from "@patternloop/core";
import { createDatabase, foldPatternTallies } from "@patternloop/db";
import { type CandidateThresholds, trainPredictor } from "@patternloop/validator";
import { createApp } from "./app.js";
import { type AppDeps, promotionThresholds } from "./app-deps.js";
import { createClientAbortLog } from "./client-abort-log.js";
import { prepareClose, type ShutdownReport } from "./close-within-grace.js";
import { createHandlersInFlight } from "./handlers-in-flight.js";
import { startHookWorker } from "./hook-worker.js";
import { DEFAULT_IDLE_TIMEOUT_MS, startIdleSweep } from "./idle-sweep.js";

export interface ServerOptions {
  databaseUrl: string;
  port?: number;
  host?: string;
  /** Bearer token for writes; the server refuses to start without one unless `localOnly`. */
  token?: string;
  /** Start without a token; only allowed on a loopback address. */
  localOnly?: boolean;
  bodyLimit?: number;
  /** What the savings figures served, and weighed for promotion, assume; the default model otherwise. */
  savings?: SavingsModel;
  /** When a detected pattern becomes a candidate; the defaults otherwise. */
  candidateThresholds?: CandidateThresholds;
  /**
   * How long a Claude Code session goes without an event before its open run is closed (completed and
   * validated like any run), in milliseconds; default {@link DEFAULT_IDLE_TIMEOUT_MS} (30 minutes).
   */
  idleTimeoutMs?: number;
  log?: (line: string) => void;
  /**
   * How long `close()` lets the requests in flight finish before it cuts their connections; default
   * {@link DEFAULT_SHUTDOWN_GRACE_MS}.
   */
  shutdownGraceMs?: number;
}

export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export interface RunningServer {
  /** `http://host:port`. */
  url: string;
  port: number;
  /**
   * Stops accepting connections at once, lets the requests in flight finish for up to the grace period, then
   * cuts the connections still open, waits for the work their requests had started (a completion whose body
   * was read is committed) and closes the database.
   */
  close(): Promise<ShutdownReport>;
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
  const graceMs = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  if (!Number.isFinite(graceMs) || graceMs < 0)
    throw new ServerStartError(`the shutdown grace period is a number of milliseconds ≥ 0, not ${graceMs}`);
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  if (!Number.isFinite(idleTimeoutMs) || idleTimeoutMs <= 0)
    throw new ServerStartError(`the idle timeout must be a positive duration, not ${idleTimeoutMs} ms`);
  const graceOver = new AbortController();
  const database = await createDatabase(options.databaseUrl, {
    create: true,
    // Another process's write lock must not stall every other request while a write waits for it; once the
    // shutdown grace period is over, writes still waiting for it give up.
    lockWait: { endedBy: graceOver.signal },
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
  let hooks: ReturnType<typeof startHookWorker> | undefined;
  try {
    const predictor = await trainPredictor(database.db);
    // Tallies behind the history (a database a backfill of an older version wrote) are folded before the
    // first request, not during it.
    await foldPatternTallies(database.db);
    // Started before listening: it first applies the events an earlier process kept and did not apply.
    hooks = startHookWorker(database, {
      predictor,
      candidateThresholds: promotionThresholds(options),
      log: options.log,
    });
    const deps: AppDeps = {
      database,
      predictor,
      hooks,
      ...(token === undefined ? { localOnly: true } : { token }),
      bodyLimit: options.bodyLimit,
      savings: options.savings,
      candidateThresholds: options.candidateThresholds,
      log: options.log,
      clientAborts,
    };
    const app = createApp(deps);
    const handlers = createHandlersInFlight();
    const listening = await new Promise<ServerType>((resolve, reject) => {
      const instance = serve(
        {
          fetch: (request, env) => handlers.track(app.fetch(request, env)),
          port: options.port ?? 8787,
          hostname: host,
        },
        () => resolve(instance),
      );
      instance.once("error", reject);
    });
    server = listening;
    // `serve` makes an HTTP/1 server unless told otherwise.
    const closeWithinGrace = prepareClose(listening as Server, handlers, () => graceOver.abort());
    const { port } = listening.address() as AddressInfo;
    const sweep = startIdleSweep(database, {
      idleTimeoutMs,
      predictor: deps.predictor,
      candidateThresholds: promotionThresholds(deps),
      log: options.log,
    });
    return {
      url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
      port,
      async close() {
        // The sweep writes to the database, so it must be stopped (and a sweep under way finished) before the
        // database closes; stopping it alongside the listener keeps new connections refused at once.
        const [report] = await Promise.all([closeWithinGrace(graceMs), sweep.stop()]);
        // After the requests, whose events it may still be woken for; what it leaves is applied at the next start.
        await hooks?.stop();
        clientAborts.flush();
        await database.close();
        return report;
      },
    };
  } catch (error) {
    if (server !== undefined) server.close();
    await hooks?.stop();
    await database.close();
    throw error;
  }
}
