import { describe, expect, it } from "vitest";
import { projectOfRecord } from "./run-project.js";

describe("projectOfRecord", () => {
  it("names the repository first, then the working directory", () => {
    expect(projectOfRecord({ source: { repo: "acme/shop", cwd: "/home/dev/shop" } })).toBe("acme/shop");
    expect(projectOfRecord({ source: { repository: "acme/api" } })).toBe("acme/api");
    expect(projectOfRecord({ source: { cwd: "/home/dev/shop" } })).toBe("/home/dev/shop");
    expect(projectOfRecord({ cwd: "/srv/app" })).toBe("/srv/app");
    expect(projectOfRecord({ project: "billing", source: { repo: "acme/shop" } })).toBe("billing");
  });

  it("is undefined when nothing names one", () => {
    for (const record of [null, 3, {}, { source: "acme/shop" }, { source: { repo: " " } }, { cwd: 7 }])
      expect(projectOfRecord(record)).toBeUndefined();
  });
});
