import { describe, expect, it } from "vitest";
import {
  addToCharacteristicsSummary,
  type CharacteristicsSummary,
  complexityOf,
  describeCharacteristicsSummary,
  durationBand,
  emptyCharacteristicsSummary,
  extractCharacteristics,
  MAX_SUMMARY_KEYWORDS,
  type WorkflowCharacteristics,
} from "./characteristics.js";

function keywordsOf(text: string): string[] {
  return extractCharacteristics({ nl_input: text }).keywords;
}

function pathsOf(text: string): string[] {
  return extractCharacteristics({ nl_input: text }).file_paths;
}

describe("extractCharacteristics", () => {
  it("describes a typical request", () => {
    const text = "Fix the failing pytest in app/server/main.py and run the backend tests";
    expect(extractCharacteristics({ nl_input: text, duration_seconds: 95 })).toEqual({
      input_length: text.length,
      word_count: 11,
      keywords: ["fix", "pytest", "backend", "tests"],
      file_paths: ["app/server/main.py"],
      duration_band: "short",
      complexity: "simple",
      error_count: 0,
    });
  });

  it("handles a record without request text", () => {
    const characteristics = extractCharacteristics({});
    expect(characteristics).toMatchObject({ input_length: 0, word_count: 0, keywords: [], file_paths: [] });
    expect(characteristics.duration_band).toBeNull();
  });

  describe("keywords", () => {
    it.each([
      ["use the latest version", "test"],
      ["check the attestation and contest rules", "test"],
      ["a majestic information page", "test"],
      ["remove the blacklist", "black"],
      ["fix the pipeline", "pipeline"],
      ["rapid prototyping", "api"],
      ["invite a user", "vite"],
      ["rebuild the buildings", "ui"],
      ["a formatted report", "format"],
      ["this is distinct", "ci"],
      ["the tscore value", "tsc"],
    ])("finds nothing in %j that would mean %s", (text, trap) => {
      expect(keywordsOf(text)).not.toContain(trap);
    });

    it("does not confuse build with ui or rapid with api", () => {
      expect(keywordsOf("build the thing")).toEqual(["build"]);
      expect(keywordsOf("rapid latest attestation information")).toEqual([]);
    });

    it("matches whole words in any case, once each, in order of first mention", () => {
      expect(keywordsOf("Run ESLint, then Prettier; then eslint again and the API tests")).toEqual([
        "eslint",
        "prettier",
        "api",
        "tests",
      ]);
    });

    it("matches the parts and joined form of compounds", () => {
      expect(keywordsOf("run the type-check")).toEqual(["typecheck"]);
      expect(keywordsOf("add e2e-tests for the frontend_api")).toEqual(["e2e", "tests", "frontend", "api"]);
    });

    it("finds keywords inside paths and commands as words", () => {
      expect(keywordsOf("cd app/server && uv run pytest -q")).toEqual(["uv", "pytest"]);
    });
  });

  describe("file paths", () => {
    it("finds relative, nested, dotted and Windows paths and bare file names", () => {
      const text =
        "Edit app/server/main.py, src/App.tsx and package.json; compare ./foo/bar.ts with C:\\x\\y.ts and ../lib/util.js";
      expect(pathsOf(text)).toEqual([
        "app/server/main.py",
        "src/App.tsx",
        "package.json",
        "./foo/bar.ts",
        "C:\\x\\y.ts",
        "../lib/util.js",
      ]);
    });

    it("de-duplicates in order of first mention", () => {
      expect(pathsOf("README.md then src/a.ts then README.md again")).toEqual(["README.md", "src/a.ts"]);
    });

    it("strips quotes, backticks, brackets, line numbers and sentence punctuation", () => {
      expect(
        pathsOf("see `src/a.ts:12:3`, (tests/test_b.py) and 'pyproject.toml'. Also vite.config.ts!"),
      ).toEqual(["src/a.ts", "tests/test_b.py", "pyproject.toml", "vite.config.ts"]);
    });

    it("finds directories, globs, absolute paths and conventional names", () => {
      expect(
        pathsOf("map app/server/ and packages/api/** ; run /usr/bin/env; see the Dockerfile and .env"),
      ).toEqual(["app/server/", "packages/api/**", "/usr/bin/env", "Dockerfile", ".env"]);
    });

    it("ignores prose, URLs, slash commands, versions and product names", () => {
      const text =
        "and/or input/output, e.g. https://example.com/a.ts or user@host.py, /review, v1.2.3, Node.js, all .json files";
      expect(pathsOf(text)).toEqual([]);
    });
  });

  describe("duration band", () => {
    it("puts 180 s in medium and 600 s in long", () => {
      expect([0, 179.9, 180, 599, 600, 3600].map(durationBand)).toEqual([
        "short",
        "short",
        "medium",
        "medium",
        "long",
        "long",
      ]);
    });

    it("is null for unknown or impossible durations", () => {
      expect([null, undefined, -1, Number.NaN, Number.POSITIVE_INFINITY].map(durationBand)).toEqual([
        null,
        null,
        null,
        null,
        null,
      ]);
    });
  });

  describe("errors and complexity", () => {
    it("counts the error message and each failed tool call", () => {
      const characteristics = extractCharacteristics({
        nl_input: "run the tests",
        error_message: "pytest exited with 1",
        tool_calls: [
          { tool_name: "Bash", success: false },
          { tool_name: "Bash", success: true },
          { tool_name: "Read" },
          { tool_name: "Edit", success: false },
        ],
      });
      expect(characteristics.error_count).toBe(3);
      expect(characteristics.complexity).toBe("complex");
    });

    it("ignores a blank error message", () => {
      expect(extractCharacteristics({ error_message: "  " }).error_count).toBe(0);
    });

    it("grades by word count and errors", () => {
      expect(complexityOf(20, 0)).toBe("simple");
      expect(complexityOf(5, 1)).toBe("medium");
      expect(complexityOf(21, 0)).toBe("medium");
      expect(complexityOf(80, 2)).toBe("medium");
      expect(complexityOf(81, 0)).toBe("complex");
      expect(complexityOf(3, 3)).toBe("complex");
    });

    it("counts words as a reader would, not path segments", () => {
      const characteristics = extractCharacteristics({ nl_input: "update app/server/main.py — now!" });
      expect(characteristics.word_count).toBe(3);
    });
  });
});

describe("characteristics summary", () => {
  function occurrence(overrides: Partial<WorkflowCharacteristics>): WorkflowCharacteristics {
    return {
      input_length: 100,
      word_count: 20,
      keywords: [],
      file_paths: [],
      duration_band: "short",
      complexity: "simple",
      error_count: 0,
      ...overrides,
    };
  }

  function summarize(occurrences: WorkflowCharacteristics[]): CharacteristicsSummary {
    return occurrences.reduce(addToCharacteristicsSummary, emptyCharacteristicsSummary());
  }

  it("keeps counts, means and distributions", () => {
    const summary = summarize([
      occurrence({ word_count: 40, input_length: 200, keywords: ["test", "pytest"] }),
      occurrence({ word_count: 44, input_length: 260, keywords: ["pytest", "backend", "pytest"] }),
      occurrence({ word_count: 42, input_length: 230, duration_band: null, complexity: "medium" }),
    ]);
    expect(summary.count).toBe(3);
    expect(summary.mean_word_count).toBe(42);
    expect(summary.mean_input_length).toBe(230);
    expect(summary.duration_bands).toEqual({ short: 2, medium: 0, long: 0, unknown: 1 });
    expect(summary.complexity).toEqual({ simple: 2, medium: 1, complex: 0 });
    // A keyword counts once per occurrence.
    expect(summary.keyword_counts).toEqual({ pytest: 2, backend: 1, test: 1 });
  });

  it("does not change the summary it is given", () => {
    const empty = emptyCharacteristicsSummary();
    addToCharacteristicsSummary(empty, occurrence({ keywords: ["lint"] }));
    expect(empty).toEqual(emptyCharacteristicsSummary());
  });

  it("reflects later occurrences instead of freezing the first", () => {
    const early = summarize([occurrence({ duration_band: "short", keywords: ["lint"] })]);
    const later = [1, 2, 3].reduce(
      (summary) =>
        addToCharacteristicsSummary(summary, occurrence({ duration_band: "long", keywords: ["deploy"] })),
      early,
    );
    expect(describeCharacteristicsSummary(later)).toContain("mostly long");
    expect(describeCharacteristicsSummary(later)).toMatch(/keywords: deploy, lint/);
  });

  it(`bounds keyword counts to the ${MAX_SUMMARY_KEYWORDS} most frequent, ties alphabetical`, () => {
    const many = Array.from({ length: 40 }, (_, i) => `k${String(i).padStart(2, "0")}`);
    const summary = summarize([
      occurrence({ keywords: ["popular"] }),
      occurrence({ keywords: ["popular", ...many] }),
    ]);
    const kept = Object.keys(summary.keyword_counts);
    expect(kept).toHaveLength(MAX_SUMMARY_KEYWORDS);
    expect(summary.keyword_counts.popular).toBe(2);
    expect(kept).toContain("k00");
    expect(kept).toContain("k28");
    expect(kept).not.toContain("k29");
  });

  it("keeps accumulating after a JSON round trip, as a store would keep it", () => {
    const first = occurrence({ keywords: ["git", "diff"] });
    const second = occurrence({ keywords: ["diff"], word_count: 7 });
    const stored = JSON.parse(JSON.stringify(summarize([first]))) as CharacteristicsSummary;
    expect(addToCharacteristicsSummary(stored, second)).toEqual(summarize([first, second]));
  });

  it("describes itself in one short line", () => {
    const summary = summarize([
      occurrence({ word_count: 40, keywords: ["test", "pytest", "backend"] }),
      occurrence({ word_count: 44, keywords: ["pytest", "backend"] }),
      occurrence({ word_count: 42, keywords: ["pytest", "test", "backend", "fix"], duration_band: "medium" }),
    ]);
    expect(describeCharacteristicsSummary(summary)).toBe(
      "~42 words; keywords: backend, pytest, test; mostly short, simple",
    );
  });

  it("leaves out what it does not know", () => {
    expect(describeCharacteristicsSummary(emptyCharacteristicsSummary())).toBe("no occurrences yet");
    const summary = summarize([occurrence({ duration_band: null, word_count: 3, complexity: "medium" })]);
    expect(describeCharacteristicsSummary(summary)).toBe("~3 words; mostly medium");
  });
});
