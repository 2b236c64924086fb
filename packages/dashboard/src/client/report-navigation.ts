/**
 * The one-file report: every view is a section of the page; the address's fragment says which one shows
 * (the overview by default), so the back button and links between views work from file:// too.
 */
export function enableReport(drawVisibleCharts: () => void): void {
  const show = () => {
    const wanted = location.hash.slice(1) || "overview";
    const views = [...document.querySelectorAll<HTMLElement>(".report-view")];
    const target = views.find((view) => view.id === wanted) ?? views[0];
    for (const view of views) view.hidden = view !== target;
    const nav = target?.dataset.nav ?? "overview";
    for (const link of document.querySelectorAll<HTMLAnchorElement>("header.top nav a")) {
      if (link.getAttribute("href") === `#${nav}`) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    drawVisibleCharts();
    const heading = target?.querySelector<HTMLElement>("h1");
    if (heading !== undefined && heading !== null && location.hash !== "") {
      heading.tabIndex = -1;
      heading.focus();
    }
  };
  window.addEventListener("hashchange", show);
  show();
  for (const table of document.querySelectorAll<HTMLTableElement>("table[data-pattern-table]"))
    enableSorting(table);
  for (const form of document.querySelectorAll<HTMLFormElement>("form.filters"))
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      filterRows(form);
    });
}

/** The figure of a row each sort key reads (the `data-figure` of its cell). */
const FIGURE: Record<string, string> = {
  savings: "potential_monthly_savings",
  scriptable_savings: "scriptable_monthly_savings",
  occurrences: "occurrence_count",
  cost_per_use: "avg_cost_with_llm",
  scriptability: "scriptability",
  confidence: "confidence_score",
  live_accuracy: "live_accuracy",
  replayed_accuracy: "replayed_accuracy",
  last_seen: "last_seen",
};

function enableSorting(table: HTMLTableElement): void {
  for (const button of table.querySelectorAll<HTMLButtonElement>("button[data-sort]")) {
    button.addEventListener("click", () => {
      const header = button.closest("th");
      const key = button.dataset.sort ?? "";
      const descending = header?.getAttribute("aria-sort") !== "descending";
      for (const th of table.querySelectorAll("th[aria-sort]")) th.removeAttribute("aria-sort");
      header?.setAttribute("aria-sort", descending ? "descending" : "ascending");
      const body = table.tBodies[0];
      if (body === undefined) return;
      const figureOf = (row: HTMLTableRowElement) => {
        const raw = row.querySelector<HTMLElement>(`[data-figure="${FIGURE[key]}"]`)?.dataset.value ?? "";
        if (raw === "") return null;
        return key === "last_seen" ? raw : Number(raw);
      };
      const rows = [...body.rows].sort((a, b) => {
        const x = figureOf(a);
        const y = figureOf(b);
        if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
        return (x < y ? -1 : x > y ? 1 : 0) * (descending ? -1 : 1);
      });
      body.append(...rows);
    });
  }
}

function filterRows(form: HTMLFormElement): void {
  const data = new FormData(form);
  const category = String(data.get("category") ?? "");
  const status = String(data.get("status") ?? "");
  for (const row of document.querySelectorAll<HTMLTableRowElement>("table[data-pattern-table] tbody tr"))
    row.hidden =
      (category !== "" && row.dataset.category !== category) ||
      (status !== "" && row.dataset.status !== status);
}
