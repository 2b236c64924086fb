import { ServerStartError, startServer } from "@patternloop/api";
import { PatternloopDbError } from "@patternloop/db";
import type { Command } from "commander";
import { CliError } from "../cli-error.js";
import { databaseUrl } from "../open-database.js";
import { wholeNumberOption } from "../whole-number-option.js";

interface ServeOptions {
  db?: string;
  port: number;
  host: string;
  localOnly?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("run the hook receiver (HTTP API); writes need PATTERNLOOP_TOKEN as a bearer token")
    .option(
      "--db <url>",
      "history database: SQLite file path, sqlite:…, or postgres://… (created if missing)",
    )
    .option("--port <port>", "port to listen on", wholeNumberOption("--port", { max: 65_535 }), 8787)
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--local-only", "start without a token, on loopback only")
    .action(async (options: ServeOptions) => {
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        server = await startServer({
          databaseUrl: databaseUrl(options),
          port: options.port,
          host: options.host,
          token: process.env.PATTERNLOOP_TOKEN,
          localOnly: options.localOnly,
        });
      } catch (error) {
        if (error instanceof ServerStartError || error instanceof PatternloopDbError)
          throw new CliError(error.message, undefined, { cause: error });
        throw error;
      }
      process.stderr.write(
        `patternloop: listening on ${server.url} (POST /v1/runs, /v1/runs/{id}/complete, /v1/hooks/claude-code)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          process.stderr.write(`patternloop: ${signal}: finishing in-flight requests\n`);
          server.close().then(resolve, resolve);
        };
        process.once("SIGTERM", () => stop("SIGTERM"));
        process.once("SIGINT", () => stop("SIGINT"));
      });
    });
}
