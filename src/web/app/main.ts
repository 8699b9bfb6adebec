/**
 * The web view: one page whose hash picks the view (SeaTunnel's routes: #/overview, #/jobs,
 * #/jobs/:jobId, #/managers/workers, #/managers/master). Each view renders into <main> and polls
 * the member every second until another view replaces it.
 */
import { h } from "./dom.ts";
import { jobPage } from "./job.ts";
import { jobsPage, membersPage, overviewPage } from "./pages.ts";

/** A view: draws into `main` at each refresh; `stop` ends what it started (a chart, a log reader). */
export interface View {
  refresh(main: HTMLElement): Promise<void>;
  stop?(): void;
}

let current: { view: View; timer: ReturnType<typeof setInterval> } | undefined;

function viewOf(hash: string): View {
  const path = hash.replace(/^#/, "") || "/overview";
  const job = /^\/jobs\/(\d+)$/.exec(path);
  if (job) {
    return jobPage(job[1]!);
  }
  if (path.startsWith("/jobs")) {
    return jobsPage();
  }
  if (path.startsWith("/managers")) {
    return membersPage(path.endsWith("/master") ? "master" : "workers");
  }
  return overviewPage();
}

async function show(): Promise<void> {
  if (current) {
    clearInterval(current.timer);
    current.view.stop?.();
  }
  const main = document.getElementById("main")!;
  const view = viewOf(location.hash);
  for (const a of document.querySelectorAll("nav a")) {
    const target = (a.getAttribute("href") ?? "").split("/")[1];
    a.classList.toggle("active", location.hash.split("/")[1] === target);
  }
  const draw = async () => {
    try {
      await view.refresh(main);
      document.getElementById("error")?.remove();
    } catch (e) {
      if (!document.getElementById("error")) {
        main.prepend(h("p", { id: "error", class: "error" }, `The member did not answer: ${(e as Error).message}`));
      }
    }
  };
  current = { view, timer: setInterval(draw, 1000) };
  main.replaceChildren();
  await draw();
}

window.addEventListener("hashchange", () => void show());
if (!location.hash) {
  history.replaceState(null, "", "#/overview");
}
void show();
