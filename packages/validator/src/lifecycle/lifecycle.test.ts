import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { changeStatus, statusHistory } from "./automation-status.js";
import { promoteCandidates } from "./promote-candidates.js";

for (const engine of ENGINES) {
  describe(`automation status lifecycle (${engine})`, () => {
    const fresh = useFreshDatabase(engine);
    const pattern = async (
      db: ReturnType<typeof fresh>["db"],
      signature: string,
      figures: Record<string, number> = {},
    ) =>
      db
        .insertInto("operation_patterns")
        .values({ pattern_signature: signature, pattern_type: "test", ...figures })
        .execute();

    it("walks detected → candidate → approved → implemented → active, recording each change", async () => {
      const { handle, db } = fresh();
      await pattern(db, "test:pytest:backend");
      await changeStatus(handle, "test:pytest:backend", "candidate", { by: "patternloop" });
      await changeStatus(handle, "test:pytest:backend", "approved", {
        by: "alice",
        note: "runs the same way every time",
      });
      await changeStatus(handle, "test:pytest:backend", "implemented", {
        by: "bob",
        note: "scripts/pytest.sh",
      });
      await changeStatus(handle, "test:pytest:backend", "active", { by: "bob" });
      const history = await statusHistory(handle, "test:pytest:backend");
      expect(history.map((h) => [h.from_status, h.to_status, h.changed_by])).toEqual([
        ["detected", "candidate", "patternloop"],
        ["candidate", "approved", "alice"],
        ["approved", "implemented", "bob"],
        ["implemented", "active", "bob"],
      ]);
      expect(history[1]?.note).toBe("runs the same way every time");
      await changeStatus(handle, "test:pytest:backend", "deprecated", { by: "carol", note: "moved to CI" });
    });

    it("refuses illegal moves, anonymous changes and notes-free approvals, changing nothing", async () => {
      const { handle, db } = fresh();
      await pattern(db, "git:diff:summary");
      await expect(changeStatus(handle, "git:diff:summary", "active", { by: "alice" })).rejects.toThrow(
        "git:diff:summary is detected; it can move to candidate or deprecated, not active",
      );
      await changeStatus(handle, "git:diff:summary", "candidate", { by: "patternloop" });
      await expect(
        changeStatus(handle, "git:diff:summary", "approved", { by: "alice" }),
      ).rejects.toMatchObject({ code: "invalid_input" });
      await expect(
        changeStatus(handle, "git:diff:summary", "approved", { by: "  ", note: "x" }),
      ).rejects.toMatchObject({ code: "invalid_input" });
      await expect(changeStatus(handle, "nope:nope:nope", "candidate", { by: "a" })).rejects.toMatchObject({
        code: "unknown_pattern",
      });
      await changeStatus(handle, "git:diff:summary", "deprecated", { by: "alice" });
      await expect(changeStatus(handle, "git:diff:summary", "detected", { by: "alice" })).rejects.toThrow(
        "it can move to nowhere",
      );
      expect((await statusHistory(handle, "git:diff:summary")).length).toBe(2);
    });

    it("records a change at the time given, normalised to UTC, and refuses a bad or future time", async () => {
      const { handle, db } = fresh();
      await pattern(db, "test:pytest:backend");
      await changeStatus(handle, "test:pytest:backend", "candidate", { by: "patternloop" });
      await expect(
        changeStatus(handle, "test:pytest:backend", "detected", { by: "alice", at: "yesterday" }),
      ).rejects.toMatchObject({ code: "invalid_input" });
      const future = new Date(Date.now() + 86_400_000).toISOString();
      await expect(
        changeStatus(handle, "test:pytest:backend", "detected", { by: "alice", at: future }),
      ).rejects.toThrow("not in the future");
      await changeStatus(handle, "test:pytest:backend", "detected", {
        by: "alice",
        at: "2026-02-01T09:30:00+01:00",
      });
      const history = await statusHistory(handle, "test:pytest:backend");
      expect(history.map((h) => h.to_status)).toEqual(["candidate", "detected"]);
      expect(history[1]?.changed_at).toBe("2026-02-01T08:30:00.000Z");
    });

    it("promotes a detected pattern only when every threshold is met, and never one a reviewer rejected", async () => {
      const { handle, db } = fresh();
      const good = {
        occurrence_count: 12,
        confidence_score: 70,
        // 12 uses a month (no history span) at this LLM cost, 95 % of it saved: $3 a month.
        avg_cost_with_llm: 3 / (0.95 * 12),
        prediction_accuracy: 0.9,
        validated_count: 6,
      };
      await pattern(db, "a:a:a", good);
      await pattern(db, "b:b:b", { ...good, validated_count: 4 });
      await pattern(db, "c:c:c", { ...good, prediction_accuracy: 0.3 });
      await pattern(db, "d:d:d", good);
      await changeStatus(handle, "d:d:d", "candidate", { by: "patternloop" });
      await changeStatus(handle, "d:d:d", "detected", { by: "alice", note: "flaky" });
      const promoted = await promoteCandidates(handle);
      expect(promoted).toEqual([{ pattern_signature: "a:a:a", from: "detected", to: "candidate" }]);
      expect((await statusHistory(handle, "a:a:a"))[0]?.note).toBe(
        "12 runs, confidence 70.0, $3.00/month, prediction accuracy 90.0% over 6 validations",
      );
      expect(await promoteCandidates(handle)).toEqual([]);
    });

    it("leaves a pattern another writer promoted meanwhile, without an error", async () => {
      const { handle, db } = fresh();
      await pattern(db, "a:a:a", {
        occurrence_count: 12,
        confidence_score: 70,
        // 12 uses a month (no history span) at this LLM cost, 95 % of it saved: $3 a month.
        avg_cost_with_llm: 3 / (0.95 * 12),
        prediction_accuracy: 0.9,
        validated_count: 6,
      });
      // Both read the pattern as eligible before either moves it.
      const results = await Promise.all([promoteCandidates(handle), promoteCandidates(handle)]);
      expect(results.flat()).toEqual([{ pattern_signature: "a:a:a", from: "detected", to: "candidate" }]);
      expect(await statusHistory(handle, "a:a:a")).toHaveLength(1);
    });
  });
}
