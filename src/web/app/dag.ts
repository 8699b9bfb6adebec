/** A job's DAG as SVG: one band per pipeline, its vertices in columns by depth, edges between them. */
import type { Vertex } from "./api.ts";
import { h, num, svg } from "./dom.ts";

const W = 210;
const H = 58;
const GAP_X = 60;
const GAP_Y = 18;
const BAND_GAP = 34;

export function dagView(vertices: Vertex[]): HTMLElement {
  const byId = new Map(vertices.map((v) => [v.vertexId, v]));
  const depth = new Map<number, number>();
  const depthOf = (v: Vertex): number => {
    const known = depth.get(v.vertexId);
    if (known !== undefined) {
      return known;
    }
    const d = v.inputs.length === 0 ? 0 : 1 + Math.max(...v.inputs.map((i) => depthOf(byId.get(i)!)));
    depth.set(v.vertexId, d);
    return d;
  };
  const pipelines = [...new Set(vertices.map((v) => v.pipeline))].sort((a, b) => a - b);
  const at = new Map<number, { x: number; y: number }>();
  const labels: SVGElement[] = [];
  let top = 0;
  let width = 0;
  for (const p of pipelines) {
    const rows = new Map<number, number>();
    labels.push(svg("text", { x: 0, y: top + 14, class: "band" }, `Pipeline ${p}`));
    let rowsUsed = 0;
    for (const v of vertices.filter((x) => x.pipeline === p)) {
      const d = depthOf(v);
      const row = rows.get(d) ?? 0;
      rows.set(d, row + 1);
      rowsUsed = Math.max(rowsUsed, row + 1);
      at.set(v.vertexId, { x: d * (W + GAP_X), y: top + 24 + row * (H + GAP_Y) });
      width = Math.max(width, (d + 1) * (W + GAP_X));
    }
    top += 24 + rowsUsed * (H + GAP_Y) + BAND_GAP;
  }
  const edges = vertices.flatMap((v) =>
    v.inputs.map((i) => {
      const a = at.get(i)!;
      const b = at.get(v.vertexId)!;
      const [x1, y1, x2, y2] = [a.x + W, a.y + H / 2, b.x, b.y + H / 2];
      const mid = (x1 + x2) / 2;
      return svg("path", { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`, class: "edge" });
    }),
  );
  const boxes = vertices.map((v) => {
    const { x, y } = at.get(v.vertexId)!;
    const rows = v.rows === null ? "" : ` · ${num(v.rows)} rows`;
    return svg(
      "g",
      { class: `vertex ${v.type}`, transform: `translate(${x},${y})`, "data-testid": `vertex-${v.vertexId}` },
      svg("rect", { width: W, height: H, rx: 6 }),
      svg("text", { x: 10, y: 22, class: "name" }, v.vertexName),
      svg("text", { x: 10, y: 42, class: "detail" }, `${v.tablePaths.join(", ") || v.type}${rows}`),
    );
  });
  const root = svg("svg", { width: width - GAP_X + 2, height: Math.max(top - BAND_GAP, H), class: "dag-svg" });
  root.append(...labels, ...edges, ...boxes);
  return h("div", { class: "dag-scroll" }, root);
}
