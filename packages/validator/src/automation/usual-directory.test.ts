import { describe, expect, it } from "vitest";
import { usualDirectory } from "./usual-directory.js";

describe("usualDirectory", () => {
  it("is the directory most runs used, relative to the project", () => {
    expect(usualDirectory("/p", [{ name: "./app/server/", count: 6 }], 10)).toBe("app/server");
    expect(usualDirectory("/home/dev/shop", [{ name: "/home/dev/shop/web", count: 5 }], 5)).toBe("web");
  });

  it("is the root when fewer than half the runs used one, or only another machine's paths", () => {
    expect(usualDirectory("/p", [{ name: "web", count: 4 }], 10)).toBeNull();
    expect(usualDirectory("/p", [], 3)).toBeNull();
    expect(
      usualDirectory(
        "/p",
        [
          { name: "/Users/someone/landing", count: 5 },
          { name: "C:/Users/other/app", count: 5 },
        ],
        10,
      ),
    ).toBeNull();
    expect(
      usualDirectory(
        "/p",
        [
          { name: "/Users/someone/landing", count: 6 },
          { name: "web", count: 5 },
        ],
        10,
      ),
    ).toBe("web");
  });
});
