/** A small DOM builder: text is always set as text, never parsed as HTML. */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === "function") {
      el.addEventListener(k.replace(/^on/, ""), v);
    } else if (v !== undefined && v !== false) {
      el.setAttribute(k, v === true ? "" : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c !== null && c !== undefined && c !== false) {
      el.append(c instanceof Node ? c : String(c));
    }
  }
}

/** An SVG element with attributes. */
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) {
    el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export const table = (head: string[], rows: Child[][], testid?: string) =>
  h(
    "table",
    testid ? { "data-testid": testid } : {},
    h("thead", {}, h("tr", {}, ...head.map((c) => h("th", {}, c)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))),
  );

export const card = (label: string, value: string | number, testid: string) =>
  h(
    "div",
    { class: "card" },
    h("div", { class: "label" }, label),
    h("div", { class: "value", "data-testid": testid }, value),
  );

/** `n` with thousands separators. */
export const num = (n: number | string | null | undefined) =>
  n === null || n === undefined || n === "" ? "-" : Number(n).toLocaleString("en-US");

/** Bytes in KB, MB or GB. */
export function bytes(n: number | string): string {
  const b = Number(n);
  const [unit, div] = b >= 2 ** 30 ? ["GB", 2 ** 30] : b >= 2 ** 20 ? ["MB", 2 ** 20] : ["KB", 2 ** 10];
  return `${(b / (div as number)).toFixed(1)} ${unit}`;
}

/** How long ago `ms` was, in words. */
export function ago(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

export const stateBadge = (state: string) => h("span", { class: `state ${state.toLowerCase()}` }, state);
