import ts from "typescript";
import { QUERY_METHODS } from "./boundary-rules.js";

/** One place in a file that builds a query or holds SQL. */
export interface QueryFinding {
  line: number;
  what: string;
}

const METHODS: ReadonlySet<string> = new Set(QUERY_METHODS);

/**
 * SQL statements as they start in a string. Each needs more than a lone word ("DELETE" as an HTTP method,
 * "select" in a sentence), so that messages and option lists do not pass for SQL.
 */
const SQL_TEXT = [
  /^\s*select\s[\s\S]*\sfrom\s/i,
  /^\s*insert\s+(or\s+\w+\s+)?into\s/i,
  /^\s*update\s+\S+\s+set\s/i,
  /^\s*delete\s+from\s/i,
  /^\s*(savepoint|release\s+savepoint|rollback\s+to)\s/i,
  /^\s*pragma\s+\w/i,
  /^\s*(create|alter|drop)\s+(unique\s+)?(table|index|view|trigger)\s/i,
  /^\s*begin\s+(immediate|exclusive|deferred|transaction)\b/i,
  /^\s*with\s+(recursive\s+)?\w+\s+as\s*\(/i,
];

/**
 * Where a TypeScript or JavaScript file builds a query or writes SQL: a value import of kysely, a call of a
 * query builder's method (`.selectFrom(` …) or of `executeQuery(`, an `sql` template, `CompiledQuery`, or a
 * string that is an SQL statement. Comments do not count; `import type` from kysely does.
 */
export function findQueryBuilding(fileName: string, text: string): QueryFinding[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const findings: QueryFinding[] = [];
  const report = (node: ts.Node, what: string) =>
    findings.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, what });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && isKysely(node.moduleSpecifier) && importsValue(node))
      report(node, "value import of kysely");
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && isKysely(node.moduleSpecifier)) {
      if (!node.isTypeOnly) report(node, "value export from kysely");
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isPropertyAccessExpression(callee) && METHODS.has(callee.name.text))
        report(callee.name, `calls .${callee.name.text}()`);
      else if (ts.isIdentifier(callee) && METHODS.has(callee.text)) report(callee, `calls ${callee.text}()`);
      else if (
        (callee.kind === ts.SyntaxKind.ImportKeyword ||
          (ts.isIdentifier(callee) && callee.text === "require")) &&
        node.arguments[0] !== undefined &&
        isKysely(node.arguments[0])
      )
        report(node, "loads kysely");
    } else if (ts.isTaggedTemplateExpression(node) && isSqlTag(node.tag)) report(node, "sql template");
    else if (ts.isIdentifier(node) && node.text === "CompiledQuery") report(node, "uses CompiledQuery");
    else if (
      (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) &&
      SQL_TEXT.some((pattern) => pattern.test(node.text))
    )
      report(node, `SQL text ${JSON.stringify(node.text.trim().split(/\s+/).slice(0, 3).join(" "))}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  // One finding per line: `import { CompiledQuery } from "kysely"` is one place, not two.
  const byLine = new Map<number, QueryFinding>();
  for (const finding of findings) if (!byLine.has(finding.line)) byLine.set(finding.line, finding);
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}

function isKysely(specifier: ts.Node): boolean {
  return ts.isStringLiteralLike(specifier) && /^kysely(\/|$)/.test(specifier.text);
}

/** Whether an import from kysely brings in a value (a class, `sql`), not only types. */
function importsValue(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (clause === undefined) return true;
  if (clause.isTypeOnly) return false;
  if (clause.name !== undefined) return true;
  const bindings = clause.namedBindings;
  if (bindings === undefined) return false;
  return ts.isNamespaceImport(bindings) || bindings.elements.some((element) => !element.isTypeOnly);
}

/** `sql`, `sql<T>` (the type argument is on the template), `sql.raw`… */
function isSqlTag(tag: ts.Expression): boolean {
  if (ts.isIdentifier(tag)) return tag.text === "sql";
  return ts.isPropertyAccessExpression(tag) && isSqlTag(tag.expression);
}
