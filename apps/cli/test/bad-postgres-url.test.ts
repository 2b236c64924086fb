import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { type CliRun, runCli } from "./run-cli.js";
import { snapshotDirectory } from "./support/file-snapshot.js";
import { expectRefusal } from "./support/refusal.js";
import { startSilentServer } from "./support/silent-server.js";
import { tempDirectory } from "./support/temp-directory.js";

/** Nothing listens on port 1, so connecting is refused at once. */
const REFUSED = "postgres://u:secret@127.0.0.1:1/x";

/** `patternloop check --db url` in an empty directory, which must stay empty. */
function check(url: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const directory = tempDirectory();
  const run = runCli(["check", "--db", url], { cwd: directory, env });
  expect(snapshotDirectory(directory)).toEqual({});
  expect(run.stderr).not.toContain("secret");
  return run;
}

/**
 * A server that cannot be reached ends as a refused connection does (same exit code), on one line with no
 * stack frame.
 */
function expectUnreachable(run: CliRun, message: string): void {
  expect(run.stdout).toBe("");
  expect(run.stderr).toMatch(/^patternloop: [^\n]+\n$/);
  expect(run.stderr).toContain(message);
  const refused = check(REFUSED);
  expect(refused.stderr).toContain("cannot reach PostgreSQL at postgres://u:***@127.0.0.1:1/x");
  expect(run.status).toBe(refused.status);
  expect(run.status).not.toBe(0);
}

describe("a PostgreSQL URL that cannot work ends with one line and an exit code", { timeout: 60_000 }, () => {
  it.each([
    [`${REFUSED}?port=abc`, 'invalid port "abc" for postgres://u:***@127.0.0.1:1/x?port=abc'],
    [`${REFUSED}?port=70000`, 'invalid port "70000" for postgres://u:***@127.0.0.1:1/x?port=70000'],
    ["postgres://u:secret@127.0.0.1:99999/x", "invalid PostgreSQL URL postgres://u:***@127.0.0.1:99999/x"],
    [`${REFUSED}?sslmode=bogus`, 'invalid sslmode "bogus" for postgres://u:***@127.0.0.1:1/x?sslmode=bogus'],
    [`${REFUSED}?ssl=false`, 'invalid ssl "false" for postgres://u:***@127.0.0.1:1/x?ssl=false'],
    [`${REFUSED}?connect_timeout=x`, 'invalid connect_timeout "x" for postgres://u:***@127.0.0.1:1/x'],
  ])("%s is refused as bad input", (url, message) => {
    expectRefusal(check(url), message);
  });

  it("a PGPORT that is no port is refused as bad input", () => {
    const run = check("postgres://u:secret@127.0.0.1/x", { PGPORT: "abc" });
    expectRefusal(run, 'invalid PGPORT "abc" for postgres://u:***@127.0.0.1/x');
  });

  it.each(["sslrootcert", "sslcert", "sslkey"])(
    "a %s file that does not exist is refused as bad input",
    (key) => {
      const missing = join(tempDirectory(), "missing.pem");
      const run = check(`${REFUSED}?${key}=${missing}`);
      // Named as a setting it cannot use, not as a server it cannot reach.
      expectRefusal(
        run,
        `cannot use the PostgreSQL settings of postgres://u:***@127.0.0.1:1/x?${key}=${missing}: ENOENT: no such file or directory, open '${missing}'`,
      );
    },
  );

  it("a host name that does not resolve is named as unreachable", () => {
    const run = check("postgres://u:secret@no-such-host.invalid/x");
    expectUnreachable(run, "cannot reach PostgreSQL at postgres://u:***@no-such-host.invalid/x: ");
  });

  it("a server that accepts the connection and never answers is given up on", async () => {
    const server = await startSilentServer();
    try {
      const url = `postgres://u:secret@127.0.0.1:${server.port}/x`;
      const run = check(url);
      expectUnreachable(
        run,
        `cannot reach PostgreSQL at postgres://u:***@127.0.0.1:${server.port}/x: Connection terminated due to connection timeout`,
      );
      // The run blocked this thread, so the server takes the connection only now.
      for (let waited = 0; server.connections() === 0 && waited < 5_000; waited += 50) await sleep(50);
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });
});
