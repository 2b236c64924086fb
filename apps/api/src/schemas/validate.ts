import { zValidator } from "@hono/zod-validator";
import { findUnstorableText, unstorableTextIn } from "@patternloop/core";
import type { Context, MiddlewareHandler } from "hono";
import { type ZodType, z } from "zod";
import { apiError } from "../api-error.js";

type Outcome = {
  success: boolean;
  error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
};

/** A validation failure is a 400 naming each problem, and the handler (so any write) never runs. */
const onInvalid = (code: string, what: string) => (result: Outcome, c: Context) => {
  if (result.success || result.error === undefined) return;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || what,
    message: issue.message,
  }));
  return apiError(c, 400, code, issues.map((issue) => `${issue.path}: ${issue.message}`).join("; "), issues);
};

/**
 * Validates the JSON body with a zod schema, after refusing a body with text patternloop cannot keep
 * anywhere in it, keys included (a NUL, a lone surrogate: the rule every entry point applies).
 */
export const validateJson = <T extends ZodType>(schema: T) =>
  zValidator(
    "json",
    z.unknown().superRefine(refuseUnstorableText).pipe(schema),
    onInvalid("invalid_body", "(body)"),
  );

function refuseUnstorableText(body: unknown, ctx: z.RefinementCtx): void {
  const issue = findUnstorableText(body);
  if (issue !== undefined)
    ctx.addIssue({ code: "custom", path: issue.path === "" ? [] : [issue.path], message: issue.message });
}

/** Validates the query string with a zod schema. */
export const validateQuery = <T extends ZodType>(schema: T) =>
  zValidator("query", schema, onInvalid("invalid_query", "(query)"));

/**
 * Refuses a path parameter holding text patternloop cannot keep (`%00` decodes to a NUL, which PostgreSQL
 * refuses even in a query): the rule every body follows.
 */
export const validateParamText =
  (name: string): MiddlewareHandler =>
  async (c, next) => {
    const problem = unstorableTextIn(c.req.param(name) ?? "");
    if (problem !== undefined)
      return apiError(c, 400, "invalid_path", `${name}: ${problem}`, [{ path: name, message: problem }]);
    return next();
  };
