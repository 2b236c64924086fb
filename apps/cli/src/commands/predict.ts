import { type Prediction, trainPredictor } from "@patternloop/validator";
import type { Command } from "commander";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import { renderTable } from "../output/table.js";

/** The patterns a run with this request would be expected to have, learned from the stored history. */
export async function predictRequest(
  request: string,
  template: string | undefined,
  options: DatabaseOption,
): Promise<Prediction[]> {
  return withDatabase(options, { requireHistory: true }, async ({ db }) => {
    const predictor = await trainPredictor(db);
    return predictor.predict({ nl_input: request, workflow_template: template ?? null });
  });
}

export function registerPredict(program: Command): void {
  program
    .command("predict")
    .description("the patterns a run with this request is expected to have, with confidence and reason")
    .argument("<request>", "the request text")
    .option("--template <name>", "the workflow template")
    .option("--db <url>", "history database to learn from: SQLite file path, sqlite:…, or postgres://…")
    .option("--json", "print the predictions as JSON")
    .action(async (request: string, options: DatabaseOption & { template?: string; json?: boolean }) => {
      const predictions = await predictRequest(request, options.template, options);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(predictions)}\n`);
        return;
      }
      process.stdout.write(
        predictions.length === 0
          ? "no pattern expected\n"
          : renderTable(
              [
                { header: "pattern", value: (p: Prediction) => p.signature },
                { header: "confidence", value: (p) => p.confidence.toFixed(0), align: "right" },
                { header: "reason", value: (p) => p.reason },
              ],
              predictions,
            ),
      );
    });
}
