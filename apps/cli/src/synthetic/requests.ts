import type { Random } from "./random.js";

/** What a request is about; it decides which files the run touches and which commands it runs. */
export type WorkKind = "backend" | "frontend" | "fullstack" | "deps" | "docs" | "chore";

/** A request text and the kind of work it asks for. */
export interface Request {
  text: string;
  kind: WorkKind;
}

/** Nouns the templates draw from; `{name}` in a template is replaced by one of `NOUNS[name]`. */
const NOUNS: Readonly<Record<string, readonly string[]>> = {
  page: [
    "settings",
    "dashboard",
    "login",
    "profile",
    "billing",
    "search results",
    "onboarding",
    "admin",
    "reports",
  ],
  component: [
    "SettingsPanel",
    "UserMenu",
    "DataTable",
    "QueryInput",
    "ResultsView",
    "Sidebar",
    "FileUpload",
    "ChartCard",
  ],
  module: [
    "auth",
    "users",
    "billing",
    "search",
    "uploads",
    "reports",
    "notifications",
    "sessions",
    "sql_processor",
  ],
  feature: [
    "dark mode toggle",
    "CSV export button",
    "pagination control",
    "keyboard shortcut dialog",
    "loading spinner",
    "date range picker",
    "copy-to-clipboard button",
    "language selector",
  ],
  endpoint: [
    "/api/users",
    "/api/upload",
    "/api/query",
    "/api/health",
    "/api/reports",
    "/api/export",
    "/api/sessions",
  ],
  library: ["pydantic v2", "SQLAlchemy 2.0", "httpx", "structlog", "FastAPI dependencies"],
  field: ["email", "created_at", "display_name", "timezone", "phone_number", "role"],
  table: ["users", "orders", "sessions", "events", "invoices", "uploads"],
  package: ["react", "vite", "zod", "axios", "tailwindcss", "date-fns"],
};

/** A few dozen request shapes, worded the way people file ADW issues. */
const TEMPLATES: readonly (readonly [string, WorkKind])[] = [
  ["Fix the failing pytest tests in app/server", "backend"],
  ["Fix the failing pytest tests in app/server/{module}", "backend"],
  ["Add a {endpoint} endpoint that returns the {table} as JSON", "backend"],
  ["Add input validation for the {field} field in the {module} service", "backend"],
  ["Refactor the {module} module to use {library}", "backend"],
  ["Fix the 500 error when an empty file is posted to {endpoint}", "backend"],
  ["Add pagination to the {table} query on the server", "backend"],
  ["Write unit tests for the {module} service", "backend"],
  ["Add an index on {table}.{field} to speed up the slow query", "backend"],
  ["Log a warning when the {module} job retries more than three times", "backend"],
  ["Add a {feature} to the {page} page", "frontend"],
  ["Add a {feature} to the {page} page", "frontend"],
  ["Fix the layout of the {component} component on mobile", "frontend"],
  ["The {component} component flickers when the {page} page loads; fix it", "frontend"],
  ["Fix the TypeScript errors in {component}.tsx", "frontend"],
  ["Show an empty state on the {page} page when there are no {table}", "frontend"],
  ["Make the {page} page accessible: labels, focus order and contrast", "frontend"],
  ["Rename the {component} component and update its imports", "frontend"],
  ["Add vitest tests for the {component} component", "frontend"],
  ["Show each user's {field} on the {page} page, served by a new API field", "fullstack"],
  ["Add a {feature} that calls {endpoint}", "fullstack"],
  ["Let users export {table} to CSV from the {page} page", "fullstack"],
  ["Persist the filters of the {page} page on the server", "fullstack"],
  ["Bug: the {page} page shows stale {table} after saving", "fullstack"],
  ["Update npm dependencies", "deps"],
  ["Update npm dependencies in app/client", "deps"],
  ["Upgrade {package} to the next major version and fix what breaks", "deps"],
  ["Bump the Python dependencies and regenerate uv.lock", "deps"],
  ["Remove unused npm packages from app/client", "deps"],
  ["Update the README with the new setup steps", "docs"],
  ["Document the {endpoint} endpoint in docs/api.md", "docs"],
  ["Add docstrings to the {module} module", "docs"],
  ["Write a short guide to the {page} page for new contributors", "docs"],
  ["Run prettier on the client and commit the formatting changes", "chore"],
  ["Fix the lint warnings in app/client", "chore"],
  ["Remove dead code from the {module} module", "chore"],
  ["Clean up the {component} component and its leftover TODOs", "chore"],
];

/** Extra sentences some issues carry. */
const DETAILS: readonly string[] = [
  "Keep the change small.",
  "Acceptance: the existing tests still pass.",
  "This is blocking the next release.",
  "See the screenshot in the issue for the expected result.",
  "Users reported this twice this week.",
  "Follow the existing code style.",
];

/** Draws a request: a template with its nouns filled in, sometimes followed by a detail sentence. */
export function drawRequest(random: Random): Request {
  const [template, kind] = random.pick(TEMPLATES);
  const text = template.replace(/\{(\w+)\}/g, (_, name: string) => random.pick(NOUNS[name] ?? [name]));
  return { text: random.chance(0.3) ? `${text}. ${random.pick(DETAILS)}` : text, kind };
}

/** One of the request's nouns, for file and test names (`auth` → `app/server/tests/test_auth.py`). */
export function drawNoun(random: Random, name: "component" | "module" | "package"): string {
  return random.pick(NOUNS[name] ?? [name]);
}
