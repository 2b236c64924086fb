import { constants } from "node:os";
import {
  DEFAULT_SHUTDOWN_GRACE_MS,
  ServerStartError,
  type ShutdownReport,
  startServer,
} from "@patternloop/api";
import type { Command } from "commander";
import { CliError, EXIT } from "../cli-error.js";
import { databaseUrl, openFailure } from "../open-database.js";
import { wholeNumberOption } from "../whole-number-option.js";
import { parseDuration } from "./duration.js";
import { type SavingsOptions, savingsModelOf, withSavingsOptions } from "./savings-options.js";
import { candidateThresholdsOf, type ThresholdOptions, withThresholdOptions } from "./threshold-options.js";

interface ServeOptions extends SavingsOptions, ThresholdOptions {
  db?: string;
  port: number;
  host: string;
  localOnly?: boolean;
  shutdownGrace: string;
  idleTimeout: string;
}

export function registerServe(program: Command): void {
  const serve = program
    .command("serve")
    .description("run the hook receiver (HTTP API); writes need PATTERNLOOP_TOKEN as a bearer token")
    .option(
      "--db <url>",
      "history database: SQLite file path, sqlite:…, or postgres://… (created if missing)",
    )
    .option("--port <port>", "port to listen on", wholeNumberOption("--port", { max: 65_535 }), 8787)
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--local-only", "start without a token, on loopback only")
    .option(
      "--shutdown-grace <seconds>",
      "on SIGTERM or SIGINT, how long requests in flight may take to finish before their connections are cut " +
        "(then exit 0; a second signal exits at once with 128 + its number)",
      String(DEFAULT_SHUTDOWN_GRACE_MS / 1000),
    )
    .option(
      "--idle-timeout <duration>",
      "close the run of a Claude Code session after this long without an event (e.g. 30m, 90s, 2h)",
      "30m",
    );
  withThresholdOptions(withSavingsOptions(serve)).action(async (options: ServeOptions) => {
    const grace = Number(options.shutdownGrace);
    if (options.shutdownGrace.trim() === "" || !Number.isFinite(grace) || grace < 0)
      throw new CliError(
        `--shutdown-grace takes a number of seconds ≥ 0, not ${JSON.stringify(options.shutdownGrace)}`,
      );
    const savings = savingsModelOf(options);
    const candidateThresholds = candidateThresholdsOf(options, savings);
    const idleTimeoutMs = parseDuration(options.idleTimeout);
    if (idleTimeoutMs === undefined)
      throw new CliError(
        `--idle-timeout takes a duration such as 30m, 90s or 2h, not ${JSON.stringify(options.idleTimeout)}`,
      );
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      server = await startServer({
        databaseUrl: databaseUrl(options),
        port: options.port,
        host: options.host,
        token: process.env.PATTERNLOOP_TOKEN,
        localOnly: options.localOnly,
        shutdownGraceMs: grace * 1000,
        idleTimeoutMs,
        savings,
        candidateThresholds,
      });
    } catch (error) {
      if (error instanceof ServerStartError) throw new CliError(error.message, undefined, { cause: error });
      // A database that is busy, full or read-only at start-up exits 1, as in every other command.
      throw openFailure(error);
    }
    process.stderr.write(
      `patternloop: listening on ${server.url} (POST /v1/runs, /v1/runs/{id}/complete, /v1/hooks/claude-code)\n`,
    );
    const report = await closeOnSignal(() => server.close(), grace);
    process.stderr.write(
      report.cut === 0
        ? "patternloop: stopped; every request finished\n"
        : `patternloop: stopped; cut ${report.cut} connection${report.cut === 1 ? "" : "s"} still open after the ${grace} s grace period\n`,
    );
  });
}

/**
 * Waits for SIGTERM or SIGINT, then closes the server. A second signal exits at once, with the code a shell
 * gives a process killed by it: whoever sends it does not want to wait for the grace period.
 */
function closeOnSignal(close: () => Promise<ShutdownReport>, grace: number): Promise<ShutdownReport> {
  return new Promise((resolve, reject) => {
    let closing = false;
    const onSignal = (signal: "SIGTERM" | "SIGINT") => {
      if (closing) {
        process.stderr.write(`patternloop: ${signal} again: exiting now, cutting the requests in flight\n`);
        process.exit(128 + constants.signals[signal]);
      }
      closing = true;
      process.stderr.write(
        `patternloop: ${signal}: finishing in-flight requests for up to ${grace} s (signal again to exit now)\n`,
      );
      close().then(resolve, (error: unknown) =>
        reject(
          new CliError(
            `stopping the server: ${error instanceof Error ? error.message : String(error)}`,
            EXIT.failed,
            { cause: error },
          ),
        ),
      );
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
}
