/**
 * Scheduling by pipeline when slots are short: a pipeline needs one slot per chain and waits, in
 * order, until that many are free; a pipeline larger than all the slots runs alone.
 */
import type { Logger } from "../api/connector.ts";

/** Pipeline-level scheduling: a pipeline starts when its chains fit in the free slots. */
export class Slots {
  private free: number;
  private readonly waiting: { need: number; go: () => void }[] = [];

  constructor(
    readonly total: number,
    private readonly log: Logger,
  ) {
    this.free = total;
  }

  async acquire(id: number, need: number): Promise<void> {
    // A pipeline larger than the whole pool runs alone rather than never.
    const want = Math.min(need, this.total);
    if (this.waiting.length === 0 && this.free >= want) {
      this.free -= want;
      return;
    }
    this.log.info(
      `Pipeline ${id} waits for ${want} free slot(s): ${this.free} of ${this.total} are free; it starts when a running pipeline finishes.`,
    );
    await new Promise<void>((go) => this.waiting.push({ need: want, go }));
    this.log.info(`Pipeline ${id} got ${want} slot(s) and starts.`);
  }

  release(need: number): void {
    this.free += Math.min(need, this.total);
    while (this.waiting.length && this.waiting[0]!.need <= this.free) {
      const w = this.waiting.shift()!;
      this.free -= w.need;
      w.go();
    }
  }
}
