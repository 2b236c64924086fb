import { describe, expect, it } from "vitest";
import { splitWords, wordForms } from "./words.js";

describe("splitWords", () => {
  it("lower-cases and drops punctuation", () => {
    expect(splitWords("Run the Backend TESTS, please!")).toEqual([
      "run",
      "the",
      "backend",
      "tests",
      "please",
    ]);
  });

  it("keeps hyphenated and snake_case compounds as one token", () => {
    expect(splitWords("type-check test_api e2e-tests")).toEqual(["type-check", "test_api", "e2e-tests"]);
  });

  it("does not keep a dangling or doubled joiner", () => {
    expect(splitWords("-flag trailing- a--b")).toEqual(["flag", "trailing", "a", "b"]);
  });

  it("breaks paths and commands into their words", () => {
    expect(splitWords("cd app/server && uv run pytest -q")).toEqual([
      "cd",
      "app",
      "server",
      "uv",
      "run",
      "pytest",
      "q",
    ]);
  });

  it("keeps non-ASCII letters inside words", () => {
    expect(splitWords("Überprüfe die Tests")).toEqual(["überprüfe", "die", "tests"]);
  });

  it("returns nothing for empty input", () => {
    expect(splitWords("")).toEqual([]);
    expect(splitWords(null)).toEqual([]);
    expect(splitWords(undefined)).toEqual([]);
    expect(splitWords(" ... ")).toEqual([]);
  });
});

describe("wordForms", () => {
  it("returns a plain word unchanged", () => {
    expect(wordForms("pytest")).toEqual(["pytest"]);
  });

  it("offers the joined form and the parts of a compound", () => {
    expect(wordForms("type-check")).toEqual(["type-check", "typecheck", "type", "check"]);
    expect(wordForms("test_api")).toEqual(["test_api", "testapi", "test", "api"]);
  });
});
