export { createApp } from "./app.js";
export type { AppDeps } from "./app-deps.js";
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  type IdleSweep,
  type IdleSweepOptions,
  startIdleSweep,
} from "./idle-sweep.js";
export { openApiDocument } from "./openapi.js";
export { type RunningServer, type ServerOptions, ServerStartError, startServer } from "./server.js";
