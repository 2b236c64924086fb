import { type PatternloopDatabase, trainingExamples } from "@patternloop/db";
import { createPredictor, type Predictor, type PredictorOptions } from "./learned-predictor.js";

/**
 * A predictor trained on the stored history: every run whose patterns are recorded, in workflow-time order,
 * with the patterns recorded for it. Runs without a workflow time come first, in id order.
 */
export async function trainPredictor(
  db: PatternloopDatabase["db"],
  options: PredictorOptions = {},
): Promise<Predictor> {
  const predictor = createPredictor(options);
  for await (const example of trainingExamples(db)) predictor.learn(example, example.signatures);
  return predictor;
}
