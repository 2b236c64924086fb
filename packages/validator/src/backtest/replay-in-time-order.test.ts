import { describe, expect, it } from "vitest";
import { timeOrder, timeSteps } from "./replay-in-time-order.js";

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const run = (workflow_id: string, start: number, end: number) => ({
  workflow_id,
  start_time: at(start),
  end_time: at(end),
});

describe("time steps", () => {
  it("learns a run only once it ended strictly before the next start, ties by workflow id", () => {
    const runs = [run("b", 10, 20), run("d", 11, 12), run("c", 5, 10), run("a", 0, 10)];
    const named = [...timeSteps(timeOrder(runs))].map((step) =>
      step.learn !== undefined
        ? `learn ${runs[step.learn]?.workflow_id}`
        : `predict ${runs[step.predict]?.workflow_id}`,
    );
    // a and c end at 10, as b starts: b was predicted knowing neither; d, a minute later, knowing both.
    expect(named).toEqual(["predict a", "predict c", "predict b", "learn a", "learn c", "predict d"]);
  });

  it("ranks start and end times together, equal times equal ranks", () => {
    const { startRank, endRank } = timeOrder([run("x", 0, 5), run("y", 5, 9), run("z", 1, 5)]);
    expect([...startRank]).toEqual([0, 2, 1]);
    expect([...endRank]).toEqual([2, 3, 2]);
  });
});
