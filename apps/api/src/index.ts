export { createApp } from "./app.js";
export type { AppDeps } from "./app-deps.js";
export { openApiDocument } from "./openapi.js";
export { type RunningServer, type ServerOptions, ServerStartError, startServer } from "./server.js";
