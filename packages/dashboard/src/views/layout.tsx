import type { Child } from "hono/jsx";
import type { Links } from "./links.js";

export type ViewName = "overview" | "patterns" | "pattern" | "validation";

/** The navigation between the views; the current one is marked for assistive technology. */
export function Navigation(props: { links: Links; current: ViewName }) {
  const item = (name: ViewName, href: string, label: string) => (
    <a href={href} aria-current={props.current === name ? "page" : undefined}>
      {label}
    </a>
  );
  return (
    <header class="top">
      <span class="brand">patternloop</span>
      <nav aria-label="Views">
        {item("overview", props.links.overview, "Overview")}
        {item("patterns", props.links.patterns(), "Patterns")}
        {item("validation", props.links.validation, "Validation")}
      </nav>
    </header>
  );
}

/** A served page: the styles and the client bundle come from the package's own asset routes. */
export function Page(props: { title: string; assets: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · patternloop`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={`${props.assets}/dashboard.css`} />
      </head>
      <body>
        {props.children}
        <script src={`${props.assets}/dashboard.js`} defer />
      </body>
    </html>
  );
}

/** A message where a view has nothing to show yet, saying what would fill it. */
export function Empty(props: { children: Child }) {
  return <p class="empty">{props.children}</p>;
}
