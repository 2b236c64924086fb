import { describe, expect, it } from "vitest";
import { isUnedited, markerOf, withMarker } from "./file-marker.js";

describe("file markers", () => {
  const text = "#!/usr/bin/env bash\n# a script\nnode --test\n";
  const marked = withMarker(text, 2, (hash) => `# ${markerOf(hash)}`);

  it("tell a file as written from one edited since", () => {
    expect(marked.split("\n")[2]).toMatch(/^# patternloop-sha256:[0-9a-f]{64}$/);
    expect(isUnedited(marked)).toBe(true);
    expect(isUnedited(marked.replace("node --test", "node --test --watch"))).toBe(false);
    expect(isUnedited(text)).toBe(false);
  });
});
