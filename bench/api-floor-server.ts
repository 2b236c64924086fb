// The floor of the API benchmark: a bare Hono app (`GET /` answers "ok") served by @hono/node-server the
// way `startServer` serves the real one, in a process of its own. Prints `floor: listening on <url>` on
// stderr and runs until SIGTERM / SIGINT.
// Usage: node --import tsx bench/api-floor-server.ts
import { existsSync, readFileSync } from "node:fs";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

interface HonoContext {
  text(body: string): Response;
}
interface HonoApp {
  get(path: string, handler: (c: HonoContext) => Response): HonoApp;
  fetch: (request: Request) => Response | Promise<Response>;
}
interface HonoModule {
  Hono: new () => HonoApp;
}
interface NodeServerModule {
  serve(options: { fetch: HonoApp["fetch"]; port: number; hostname: string }, listening: () => void): Server;
}

// hono and @hono/node-server are dependencies of apps/api, not of the workspace root: load the very ESM
// builds the API loads.
const fromApi = createRequire(import.meta.resolve("@patternloop/api"));

async function importFromApi<T>(name: string): Promise<T> {
  let dir = dirname(fromApi.resolve(name));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, "utf8")) as {
        name?: string;
        exports?: Record<string, { import?: string | { default?: string } }>;
      };
      if (pkg.name === name) {
        const entry = pkg.exports?.["."]?.import;
        const path = typeof entry === "string" ? entry : entry?.default;
        if (path === undefined) throw new Error(`${name} has no ESM entry`);
        return (await import(pathToFileURL(join(dir, path)).href)) as T;
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the package.json of ${name}`);
    dir = dirname(dir);
  }
}

const { Hono } = await importFromApi<HonoModule>("hono");
const { serve } = await importFromApi<NodeServerModule>("@hono/node-server");
const app = new Hono().get("/", (c) => c.text("ok"));
const server = await new Promise<Server>((resolve, reject) => {
  const instance = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(instance));
  instance.once("error", reject);
});
const { port } = server.address() as AddressInfo;
process.stderr.write(`floor: listening on http://127.0.0.1:${port}\n`);
const stop = () => {
  server.close(() => process.exit(0));
  (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
