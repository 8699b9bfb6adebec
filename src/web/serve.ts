/**
 * The web view on a member's port (SeaTunnel's UI routes: `/#/overview`, `/#/jobs`,
 * `/#/jobs/:jobId`, `/#/managers/workers`, `/#/managers/master`): one page, its script and its
 * style sheet, all built into the binary. The page reads the REST API v2 of the member it came
 * from, by paths relative to it, so it works under any `http.context-path`.
 */
import { script, styles } from "./bundle.ts" with { type: "macro" };

const APP_JS = script("./app/main.ts");
const APP_CSS = styles("./app/style.css");

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SeaTunnel</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="web/app.css">
</head>
<body>
<header><a class="brand" href="#/overview">SeaTunnel</a><nav>
<a href="#/overview">Overview</a><a href="#/jobs">Jobs</a><a href="#/managers/workers">Members</a>
</nav><span id="cluster"></span></header>
<main id="main"><p class="muted">Loading...</p></main>
<script src="web/app.js"></script>
</body>
</html>
`;

const file = (body: string, type: string) =>
  new Response(body, { headers: { "content-type": `${type}; charset=utf-8`, "cache-control": "no-cache" } });

/** The web view's answer to GET `path` (below the context path), or undefined for another path. */
export function webRoute(path: string): Response | undefined {
  if (path === "/" || path === "/index.html") {
    return file(PAGE, "text/html");
  }
  if (path === "/web/app.js") {
    return file(APP_JS, "text/javascript");
  }
  if (path === "/web/app.css") {
    return file(APP_CSS, "text/css");
  }
  return undefined;
}
