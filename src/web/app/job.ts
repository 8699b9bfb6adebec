/**
 * A job's view: its state and counts, stop and savepoint buttons while it runs, a live chart of
 * rows per second (uPlot), its DAG with each vertex's rows, its checkpoints and its log.
 */
import uPlot from "uplot";
import { get, type JobInfo, logText, post } from "./api.ts";
import { dagView } from "./dag.ts";
import { bytes, card, h, num, stateBadge, table } from "./dom.ts";
import type { View } from "./main.ts";

const ACTIVE = new Set(["PENDING", "RUNNING", "CANCELING", "DOING_SAVEPOINT"]);
/** Points the chart keeps: five minutes of seconds. */
const POINTS = 300;

export const jobPage = (id: string): View => new JobView(id);

class JobView implements View {
  private readonly parts = {
    head: h("div"),
    cards: h("section", { class: "cards" }),
    actions: h("div", { class: "actions" }),
    chart: h("div", { class: "chart", "data-testid": "chart" }),
    dag: h("div", { class: "dag" }),
    checkpoints: h("div"),
    log: h("pre", { class: "log", "data-testid": "log" }),
  };
  private readonly series: [number[], number[], number[]] = [[], [], []];
  private plot: uPlot | undefined;
  /** Where each log (member/name) is read up to. */
  private readonly logs = new Map<string, number>();
  private built = false;

  constructor(private readonly id: string) {}

  async refresh(main: HTMLElement): Promise<void> {
    const j = await get<JobInfo>(`job-info/${this.id}`);
    if (!j.jobStatus) {
      main.replaceChildren(h("h1", {}, `No job ${this.id}`), h("p", {}, h("a", { href: "#/jobs" }, "All jobs")));
      return;
    }
    if (!this.built) {
      this.build(main);
    }
    this.draw(j);
    await this.readLogs();
  }

  stop(): void {
    this.plot?.destroy();
  }

  private build(main: HTMLElement): void {
    const p = this.parts;
    main.replaceChildren(
      p.head,
      p.cards,
      p.actions,
      h("h2", {}, "Rows per second"),
      p.chart,
      h("h2", {}, "Pipelines"),
      p.dag,
      h("h2", {}, "Checkpoints"),
      p.checkpoints,
      h("h2", {}, "Log"),
      p.log,
    );
    this.plot = new uPlot(
      {
        width: Math.max(320, p.chart.clientWidth || 800),
        height: 220,
        series: [
          {},
          { label: "read/s", stroke: "#2f6fdb", width: 2 },
          { label: "written/s", stroke: "#1a9e5c", width: 2 },
        ],
        axes: [{}, { size: 70 }],
      },
      this.series,
      p.chart,
    );
    this.built = true;
  }

  private async stopJob(savepoint: boolean): Promise<void> {
    for (const b of this.parts.actions.querySelectorAll("button")) {
      b.disabled = true;
    }
    await post("stop-job", { jobId: this.id, isStopWithSavePoint: savepoint }).catch((e: Error) => alert(e.message));
  }

  private async readLogs(): Promise<void> {
    const log = this.parts.log;
    const links = await get<{ node: string; logName: string }[]>(`logs/${this.id}?format=json`);
    for (const l of links) {
      const key = `${l.node}/${l.logName}`;
      const { text, next } = await logText(l.node, l.logName, this.logs.get(key) ?? 0);
      this.logs.set(key, next);
      if (text) {
        const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
        log.append(text);
        if (atEnd) {
          log.scrollTop = log.scrollHeight;
        }
      }
    }
  }

  private draw(j: JobInfo): void {
    const m = j.metrics;
    const p = this.parts;
    p.head.replaceChildren(
      h("h1", {}, j.jobName, " ", stateBadge(j.jobStatus)),
      h(
        "p",
        { class: "muted" },
        `Job ${j.jobId} · member ${j.member ?? "-"} · attempt ${j.attempt} · submitted ${j.createTime ?? "-"}`,
        j.finishedTime ? ` · ended ${j.finishedTime}` : "",
      ),
    );
    if (j.errorMsg) {
      p.head.append(h("pre", { class: "error" }, j.errorMsg));
    }
    p.head.querySelector(".state")?.setAttribute("data-testid", "job-state");
    p.cards.replaceChildren(
      card("Rows read", num(m.SourceReceivedCount), "rows-read"),
      card("Rows written", num(m.SinkWriteCount), "rows-written"),
      card("Read/s", num(m.SourceReceivedQPS), "read-qps"),
      card("Written/s", num(m.SinkWriteQPS), "written-qps"),
      card("Bytes read", bytes(m.SourceReceivedBytes), "bytes-read"),
      card("Bytes written", bytes(m.SinkWriteBytes), "bytes-written"),
    );
    const active = ACTIVE.has(j.jobStatus);
    if (active && p.actions.childElementCount === 0) {
      p.actions.append(
        h("button", { "data-testid": "savepoint", onclick: () => void this.stopJob(true) }, "Stop with savepoint"),
        h("button", { "data-testid": "stop", class: "danger", onclick: () => void this.stopJob(false) }, "Cancel"),
      );
    } else if (!active) {
      p.actions.replaceChildren();
    }
    if (active) {
      this.chartPoint(Number(m.SourceReceivedQPS), Number(m.SinkWriteQPS));
    }
    p.dag.replaceChildren(j.jobDag ? dagView(j.jobDag.vertexInfoMap) : h("p", { class: "muted" }, "No plan."));
    this.drawCheckpoints(j);
  }

  private chartPoint(read: number, written: number): void {
    const s = this.series;
    s[0].push(Date.now() / 1000);
    s[1].push(read);
    s[2].push(written);
    for (const one of s) {
      one.splice(0, Math.max(0, one.length - POINTS));
    }
    this.plot?.setData(s);
  }

  private drawCheckpoints(j: JobInfo): void {
    const cp = j.result?.checkpoints;
    if (!cp) {
      this.parts.checkpoints.replaceChildren(h("p", { class: "muted" }, "None yet."));
      return;
    }
    this.parts.checkpoints.replaceChildren(
      h("p", { "data-testid": "checkpoint-counts" }, `${cp.completed} completed, ${cp.failed} failed`),
      table(
        ["Pipeline", "Checkpoint", "Kind", "Outcome", "Started", "Duration"],
        [...cp.recent]
          .reverse()
          .map((c) => [
            c.pipeline,
            c.id,
            c.kind,
            c.ok ? "completed" : `failed: ${c.error ?? ""}`,
            new Date(c.startedMs).toLocaleTimeString(),
            `${c.durationMs} ms`,
          ]),
        "checkpoints",
      ),
    );
  }
}
