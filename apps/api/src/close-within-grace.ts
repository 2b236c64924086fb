import type { Server, ServerResponse } from "node:http";
import type { HandlersInFlight } from "./handlers-in-flight.js";

/** Node runs a longer timer after 1 ms instead: a grace period that long is as good as no deadline. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** How a server stopped. */
export interface ShutdownReport {
  /** Connections still open when the grace period ended, destroyed with whatever request they carried. */
  cut: number;
}

/**
 * Prepares a listening server to stop within a grace period; returns the function that stops it. Call it as
 * soon as the server listens, so that every response is seen.
 *
 * Stopping closes the listener at once, lets the requests in flight finish for up to `graceMs`, then destroys
 * the connections still open (a client that sent half a body and hangs would otherwise keep the server up for
 * ever), calls `onGraceOver` if handlers are still running then, and resolves once every handler has returned.
 */
export function prepareClose(
  server: Server,
  handlers: HandlersInFlight,
  onGraceOver: () => void = () => {},
): (graceMs: number) => Promise<ShutdownReport> {
  let draining = false;
  const unanswered = new Set<ServerResponse>();
  // Before the app's own listener, so that the header is there when the app answers.
  server.prependListener("request", (_, response: ServerResponse) => {
    if (draining) response.setHeader("connection", "close");
    unanswered.add(response);
    response.once("close", () => unanswered.delete(response));
  });

  return async (graceMs) => {
    draining = true;
    // Node would keep a keep-alive connection open after its last answer until the client leaves or the
    // keep-alive timeout: "Connection: close" makes Node close it, and tells the client not to reuse it.
    for (const response of unanswered) if (!response.headersSent) response.setHeader("connection", "close");
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), Math.min(graceMs, LONGEST_TIMER_MS));
    });
    let cut = 0;
    if ((await Promise.race([closed, deadline])) === "deadline") {
      cut = await openConnections(server);
      server.closeAllConnections();
      await closed;
    }
    // A handler can outlive its connection (its client left, or was cut): one still running when the grace
    // period is over is told so, for a wait it may stop.
    const settled = handlers.settled().then(() => "settled" as const);
    if ((await Promise.race([settled, deadline])) === "deadline") onGraceOver();
    clearTimeout(timer);
    await settled;
    return { cut };
  };
}

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));
}
