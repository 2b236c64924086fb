export { CliError, EXIT } from "./cli-error.js";
export { createProgram, run } from "./program.js";
