import { describe, expect, it } from "vitest";
import { ENGINES, get, post, useApi } from "../../test/support/api-harness.js";
import { A, seedHistory } from "../../test/support/workload.js";

type Row = Record<string, number | string>;

for (const engine of ENGINES) {
  describe(`the savings the API serves, under the app's savings model (${engine})`, () => {
    const byDefault = useApi(engine);
    const dearer = useApi(engine, { savings: { toolCostShare: 0.2 } });

    it("derives the tool cost and monthly savings from the tool-cost share it was started with", async () => {
      const apps = [await byDefault(), await dearer()];
      for (const { app } of apps) await seedHistory((path, body) => post(app, path, body));
      const [base, dear] = await Promise.all(
        apps.map(async ({ app }) => (await get(app, "/v1/patterns?sort=high-value")).body.patterns as Row[]),
      );
      expect(dear?.length).toBe(base?.length);
      for (const row of dear ?? []) {
        const same = base?.find((other) => other.pattern_signature === row.pattern_signature) as Row;
        expect(row.avg_cost_with_tool as number).toBeCloseTo((row.avg_cost_with_llm as number) * 0.2, 12);
        expect(row.potential_monthly_savings as number).toBeCloseTo(
          ((same.potential_monthly_savings as number) * 0.8) / 0.95,
          12,
        );
      }
      const details = await get((apps[1] as (typeof apps)[number]).app, `/v1/patterns/${A}`);
      expect(details.body.savings_model).toMatchObject({ tool_cost_share: 0.2 });
    });
  });
}
