export { compareRun, formatValidationLog, type RunValidation } from "./run-validation.js";
