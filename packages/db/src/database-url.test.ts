import { describe, expect, it } from "vitest";
import { parseDatabaseUrl, redactUrl } from "./database-url.js";
import { PatternloopDbError } from "./patternloop-db-error.js";

const CWD = "/home/dev/project";

describe("parseDatabaseUrl", () => {
  it.each([
    ["history.db", "/home/dev/project/history.db"],
    ["./data/history.db", "/home/dev/project/data/history.db"],
    ["/var/lib/history.db", "/var/lib/history.db"],
    ["sqlite:history.db", "/home/dev/project/history.db"],
    ["sqlite:/var/lib/history.db", "/var/lib/history.db"],
    ["sqlite://history.db", "/home/dev/project/history.db"],
    ["sqlite:///var/lib/history.db", "/var/lib/history.db"],
    ["file:history.db", "/home/dev/project/history.db"],
    ["file:///var/lib/my%20history.db", "/var/lib/my history.db"],
  ])("reads %s as an SQLite file", (url, path) => {
    expect(parseDatabaseUrl(url, CWD)).toEqual({ engine: "sqlite", path, url: `sqlite:${path}` });
  });

  it.each([":memory:", "sqlite::memory:", "sqlite://:memory:"])(
    "reads %s as an in-memory database",
    (url) => {
      expect(parseDatabaseUrl(url, CWD)).toEqual({ engine: "sqlite", path: ":memory:", url: ":memory:" });
    },
  );

  it("reads PostgreSQL URLs, takes the schema out and redacts the password", () => {
    expect(
      parseDatabaseUrl("postgresql://app:s3cret@db:5432/prod?sslmode=require&schema=patternloop"),
    ).toEqual({
      engine: "postgres",
      connectionString: "postgresql://app:s3cret@db:5432/prod?sslmode=require",
      schema: "patternloop",
      options: undefined,
      url: "postgresql://app:***@db:5432/prod?sslmode=require&schema=patternloop",
    });
    expect(parseDatabaseUrl("postgres://db/prod?options=-c%20statement_timeout%3D5000")).toMatchObject({
      connectionString: "postgres://db/prod",
      schema: undefined,
      options: "-c statement_timeout=5000",
    });
  });

  it.each([
    ["mysql://x", "unknown_scheme"],
    ["http://example.com/db", "unknown_scheme"],
    ["", "invalid_url"],
    ["sqlite:", "invalid_url"],
    ["postgres://db/prod?schema=Bad-Name", "invalid_url"],
  ])("refuses %j with %s", (url, code) => {
    expect(() => parseDatabaseUrl(url, CWD)).toThrow(PatternloopDbError);
    try {
      parseDatabaseUrl(url, CWD);
    } catch (error) {
      expect((error as PatternloopDbError).code).toBe(code);
    }
  });
});

describe("parseDatabaseUrl on PostgreSQL connection parameters", () => {
  it.each([
    ["postgres://u:p@db/x?port=abc", 'invalid port "abc" for postgres://u:***@db/x?port=abc'],
    ["postgres://u:p@db/x?port=70000", 'invalid port "70000"'],
    ["postgres://u:p@db/x?port=-1", 'invalid port "-1"'],
    ["postgres://u:p@db:0/x", 'invalid port "0" for postgres://u:***@db:0/x'],
    ["postgres://u:p@db/x?sslmode=bogus", 'invalid sslmode "bogus"'],
    ["postgres://u:p@db/x?sslmode=%0Abogus", 'invalid sslmode "\\nbogus"'],
    ["postgres://u:p@db/x?ssl=false", 'invalid ssl "false"'],
    ["postgres://u:p@db/x?connect_timeout=x", 'invalid connect_timeout "x"'],
    ["postgres://u:p@db/x?sslmode=require&port=5432&po%72t=x", 'invalid port "x"'],
  ])("refuses %s, naming the parameter on one line", (url, message) => {
    let caught: unknown;
    try {
      parseDatabaseUrl(url, CWD);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PatternloopDbError);
    const error = caught as PatternloopDbError;
    expect(error.code).toBe("invalid_url");
    expect(error.message).toContain(message);
    expect(error.message).not.toContain("\n");
    expect(error.message).not.toContain("u:p@");
  });

  it.each([
    "postgres://db:5432/x?port=5433",
    "postgres://db/x?port=",
    "postgres://db/x?sslmode=verify-full",
    "postgres://db/x?sslmode=no-verify",
    "postgres://db/x?ssl=true",
    "postgres://db/x?ssl=0",
    "postgres://db/x?connect_timeout=10",
    "postgres://db/x?application_name=anything",
  ])("keeps %s as it is", (url) => {
    expect(parseDatabaseUrl(url, CWD)).toMatchObject({ engine: "postgres", connectionString: url });
  });
});

describe("redactUrl", () => {
  it("hides passwords in the user info and in parameters, and nothing else", () => {
    expect(redactUrl("postgres://app:s3cret@db/prod")).toBe("postgres://app:***@db/prod");
    expect(redactUrl("postgres://db/prod?user=app&password=s3cret&sslmode=require")).toBe(
      "postgres://db/prod?user=app&password=***&sslmode=require",
    );
    expect(redactUrl("postgres://app@db/prod")).toBe("postgres://app@db/prod");
    expect(redactUrl("/tmp/history.db")).toBe("/tmp/history.db");
  });

  it.each([
    ["postgres://u:pa@ss@127.0.0.1:1/x", "postgres://u:***@127.0.0.1:1/x"],
    ["postgres://u:pa%40ss@127.0.0.1:1/x", "postgres://u:***@127.0.0.1:1/x"],
    ["postgres://u:a:b:c@db:5432/prod", "postgres://u:***@db:5432/prod"],
    ["postgres://u:a%3Ab@db/prod", "postgres://u:***@db/prod"],
    ["postgres://u:a/b@db/prod", "postgres://u:***@db/prod"],
    ["postgres://u:1/b@db/prod", "postgres://u:***@db/prod"],
    ["postgres://u:a%2Fb@db/prod", "postgres://u:***@db/prod"],
    ["postgres://u:a?b@db/prod?sslmode=require", "postgres://u:***@db/prod?sslmode=require"],
    ["postgres://u:a%3Fb@db/prod", "postgres://u:***@db/prod"],
    ["postgres://u:a#b@db", "postgres://u:***@db"],
    ["postgres://u:@/?#,@db:5432,db2:5433/prod", "postgres://u:***@db:5432,db2:5433/prod"],
    ["postgresql://u:p@[::1]:5432/prod", "postgresql://u:***@[::1]:5432/prod"],
    ["postgres://db/prod?password=a#b", "postgres://db/prod?password=***"],
    [
      "postgres://db/prod?sslpassword=s3cret&sslmode=require",
      "postgres://db/prod?sslpassword=***&sslmode=require",
    ],
  ])("hides the whole password of %s", (url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
  });

  it("keeps the password out of the messages and causes of a URL it refuses", () => {
    for (const url of ["postgres://u:se?cret@db/prod", "mysql://u:se@cret@db/prod"]) {
      let caught: unknown;
      try {
        parseDatabaseUrl(url, CWD);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(PatternloopDbError);
      const error = caught as PatternloopDbError;
      expect(error.message).not.toContain("cret");
      expect(JSON.stringify({ ...(error.cause as object) })).not.toContain("cret");
    }
  });
});
