/** The overview, the jobs and the members views. */
import { type ClusterState, get, type JobInfo, type Overview } from "./api.ts";
import { ago, card, h, num, stateBadge, table } from "./dom.ts";
import type { View } from "./main.ts";

/** The cluster's name, master and epoch in the header. */
function header(c: ClusterState): void {
  const where = c.master ? `master ${c.master.member} at epoch ${c.master.epoch}` : "no master right now";
  document.getElementById("cluster")!.textContent = `cluster ${c.cluster}: ${where}`;
}

const jobLink = (j: JobInfo) => h("a", { href: `#/jobs/${j.jobId}` }, j.jobName);

function membersTable(c: ClusterState, testid: string): HTMLElement {
  return table(
    ["Member", "Role", "Address", "Slots", "Tags", "Up since", "Heartbeat"],
    c.members.map((m) => [
      m.id + (c.master?.member === m.id ? " (master)" : ""),
      m.role,
      m.address,
      m.slots === 0 ? "dynamic" : m.slots,
      Object.entries(m.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ") || "-",
      new Date(m.startedMs).toLocaleString(),
      ago(m.heartbeatMs),
    ]),
    testid,
  );
}

export function overviewPage(): View {
  return {
    async refresh(main) {
      const [o, c, running] = await Promise.all([
        get<Overview>("overview"),
        get<ClusterState>("cluster"),
        get<JobInfo[]>("running-jobs"),
      ]);
      header(c);
      const slots = o.totalSlot === "0" ? "dynamic" : `${o.unassignedSlot} free of ${o.totalSlot}`;
      main.replaceChildren(
        h("h1", {}, "Overview"),
        h(
          "section",
          { class: "cards" },
          card("Members", c.members.length, "members-count"),
          card("Slots", slots, "slots"),
          card("Running jobs", o.runningJobs, "running-count"),
          card("Finished", o.finishedJobs, "finished-count"),
          card("Failed", o.failedJobs, "failed-count"),
          card("Canceled", o.cancelledJobs, "canceled-count"),
        ),
        h("h2", {}, "Running jobs"),
        jobsTable(running, "overview-running"),
        h("h2", {}, "Members"),
        membersTable(c, "overview-members"),
        h("p", { class: "muted" }, `SeaTunnel engine ${o.projectVersion}`),
      );
    },
  };
}

function jobsTable(jobs: JobInfo[], testid: string): HTMLElement {
  if (jobs.length === 0) {
    return h("p", { class: "muted", "data-testid": testid }, "None.");
  }
  return table(
    ["Job", "Id", "State", "Member", "Submitted", "Ended", "Read", "Written", "Rows/s"],
    jobs.map((j) => [
      jobLink(j),
      j.jobId,
      stateBadge(j.jobStatus),
      j.member ?? "-",
      j.createTime ?? "-",
      j.finishedTime ?? "-",
      num(j.metrics.SourceReceivedCount),
      num(j.metrics.SinkWriteCount),
      num(j.metrics.SourceReceivedQPS),
    ]),
    testid,
  );
}

export function jobsPage(): View {
  return {
    async refresh(main) {
      const [running, finished] = await Promise.all([get<JobInfo[]>("running-jobs"), get<JobInfo[]>("finished-jobs")]);
      main.replaceChildren(
        h("h1", {}, "Jobs"),
        h("h2", {}, `Running (${running.length})`),
        jobsTable(running, "running-jobs"),
        h("h2", {}, `Finished (${finished.length})`),
        jobsTable([...finished].reverse(), "finished-jobs"),
      );
    },
  };
}

export function membersPage(which: "workers" | "master"): View {
  return {
    async refresh(main) {
      const [c, monitoring] = await Promise.all([
        get<ClusterState>("cluster"),
        get<Record<string, string>[]>("system-monitoring-information"),
      ]);
      header(c);
      const shown = which === "master" ? c.members.filter((m) => m.id === c.master?.member) : c.members;
      const keys = ["processors", "physical.memory.free", "process.rss", "heap.memory.used", "load.systemAverage"];
      main.replaceChildren(
        h("h1", {}, which === "master" ? "Master" : "Members"),
        h(
          "p",
          {},
          h("a", { href: "#/managers/workers" }, "All members"),
          " · ",
          h("a", { href: "#/managers/master" }, "The master"),
        ),
        membersTable({ ...c, members: shown }, "members"),
        h("h2", {}, "Resources"),
        table(
          ["Member", ...keys, "Running jobs"],
          monitoring
            .filter((m) => shown.some((s) => s.id === m.member))
            .map((m) => [m.member, ...keys.map((k) => m[k] ?? m.error ?? "-"), m["jobs.running"] ?? "-"]),
          "monitoring",
        ),
      );
    },
  };
}
