export {
  type AveragedMetrics,
  type BacktestOptions,
  type BacktestResult,
  type BacktestRun,
  backtest,
  type PatternBacktest,
} from "./backtest/backtest.js";
export {
  createPredictor,
  type Prediction,
  type Predictor,
  type PredictorOptions,
} from "./predictor/learned-predictor.js";
export { type Feature, type RunRequest, requestFeatures } from "./predictor/request-features.js";
export { compareRun, formatValidationLog, type RunValidation } from "./run-validation.js";
