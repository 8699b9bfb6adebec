// The job's output (stdout and stderr read together), kept in bounded memory: the first `headCap`
// and the last `tailCap` characters. `contains:` texts and the UNSUPPORTED pattern are watched as
// the output streams, so they are found even in the part that is not kept.

export const UNSUPPORTED = /unknown (connector|plugin|transform|source|sink|format)|not a known|unsupported/i;

/** Longest text the UNSUPPORTED pattern can match, for the overlap between chunks. */
const PATTERN_SPAN = 40;

export class OutputBuffer {
  private head = "";
  private tail = "";
  private total = 0;
  private readonly found = new Map<string, boolean>();
  private readonly carry = new Map<string, string>();
  private readonly keep: number;
  private unsupported = false;

  constructor(
    needles: string[],
    private readonly headCap = 256 * 1024,
    private readonly tailCap = 2 * 1024 * 1024,
  ) {
    for (const n of needles) {
      this.found.set(n, n === "");
    }
    this.keep = Math.max(PATTERN_SPAN, ...needles.map((n) => n.length)) - 1;
  }

  /** Adds a decoded chunk of one stream (`stream` separates the overlap kept between chunks). */
  append(chunk: string, stream = "out"): void {
    if (chunk === "") {
      return;
    }
    const window = (this.carry.get(stream) ?? "") + chunk;
    for (const [needle, seen] of this.found) {
      if (!seen && window.includes(needle)) {
        this.found.set(needle, true);
      }
    }
    if (!this.unsupported && UNSUPPORTED.test(window)) {
      this.unsupported = true;
    }
    this.carry.set(stream, window.slice(-this.keep));
    this.total += chunk.length;
    if (this.head.length < this.headCap) {
      const room = this.headCap - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (chunk === "") {
      return;
    }
    this.tail += chunk;
    if (this.tail.length > this.tailCap + (this.tailCap >> 1)) {
      this.tail = this.tail.slice(-this.tailCap);
    }
  }

  /** Whether the output contained `needle` so far (needles not registered up front are searched in the kept text). */
  contains(needle: string): boolean {
    return this.found.get(needle) ?? this.text().includes(needle);
  }

  /** Whether the output matched the UNSUPPORTED pattern. */
  matchesUnsupported(): boolean {
    return this.unsupported;
  }

  get length(): number {
    return this.total;
  }

  /** The kept output; a marker shows where characters were dropped. */
  text(): string {
    if (this.tail.length > this.tailCap) {
      this.tail = this.tail.slice(-this.tailCap);
    }
    const dropped = this.total - this.head.length - this.tail.length;
    return dropped > 0 ? `${this.head}\n[... ${dropped} characters not kept ...]\n${this.tail}` : this.head + this.tail;
  }

  lastLines(n: number): string[] {
    const lines = this.text().replace(/\n+$/, "").split("\n");
    return lines.slice(-n);
  }
}
