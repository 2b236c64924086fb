import { describe, expect, it } from "vitest";
import { timeOrder, timeSteps } from "./replay-in-time-order.js";
import { collectTimes, timeTableOf } from "./time-table.js";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const run = (workflow_id: string, start: number, end: number) => ({
  workflow_id,
  start_time: at(start),
  end_time: at(end),
});

describe("time steps", () => {
  it("learns a run only once it ended strictly before the next start, ties by workflow id", () => {
    const runs = [run("b", 10, 20), run("d", 11, 12), run("c", 5, 10), run("a", 0, 10)];
    const named = [...timeSteps(timeOrder(timeTableOf(runs)))].map((step) =>
      step.learn !== undefined
        ? `learn ${runs[step.learn]?.workflow_id}`
        : `predict ${runs[step.predict]?.workflow_id}`,
    );
    // a and c end at 10, as b starts: b was predicted knowing neither; d, a minute later, knowing both.
    expect(named).toEqual(["predict a", "predict c", "predict b", "learn a", "learn c", "predict d"]);
  });

  it("ranks start and end times together, equal times equal ranks", () => {
    const { startRank, endRank } = timeOrder(timeTableOf([run("x", 0, 5), run("y", 5, 9), run("z", 1, 5)]));
    expect([...startRank]).toEqual([0, 2, 1]);
    expect([...endRank]).toEqual([2, 3, 2]);
  });

  it("orders times collected compactly exactly as their text, whatever form they are written in", () => {
    const canonical = [run("b", 10, 20), run("a", 10, 12), run("c", 3, 10)];
    // Not canonical: no milliseconds, an offset, fractions of a millisecond. Their text is what orders them.
    const mixed = [
      ...canonical,
      { workflow_id: "d", start_time: "2026-01-01T00:10:00Z", end_time: "2026-01-01T00:11:00.000Z" },
      { workflow_id: "e", start_time: "2026-01-01T01:10:00+01:00", end_time: at(30) },
      { workflow_id: "f", start_time: "2026-01-01T00:10:00.000500Z", end_time: at(11) },
    ];
    for (const runs of [canonical, mixed, [...mixed].reverse()]) {
      const collected = collectTimes();
      for (const times of runs) collected.add(times);
      expect(orderOf(timeOrder(collected.table()))).toEqual(orderOf(timeOrder(timeTableOf(runs))));
    }
  });
});

function orderOf(order: ReturnType<typeof timeOrder>) {
  return Object.fromEntries(Object.entries(order).map(([name, values]) => [name, [...values]]));
}
