import { describe, expect, test } from "bun:test";
import { hostname } from "node:os";
import { currentOwner, ownerAlive } from "./owner.ts";

describe("checkpoint folder owner", () => {
  test("this process is alive; its pid with another start time is a reused pid, so not", () => {
    const me = currentOwner();
    expect(me.pid).toBe(process.pid);
    expect(me.host).toBe(hostname());
    expect(me.started).toBeGreaterThan(0);
    expect(ownerAlive(me)).toBe(true);
    expect(ownerAlive({ ...me, started: me.started! + 1 })).toBe(false);
  });

  test("a process that exited is not alive", async () => {
    const proc = Bun.spawn(["true"]);
    await proc.exited;
    expect(ownerAlive({ pid: proc.pid, host: hostname() })).toBe(false);
  });

  test("an owner on another host counts as alive: it cannot be checked from here", () => {
    expect(ownerAlive({ pid: 2 ** 22 + 1, host: `${hostname()}-elsewhere` })).toBe(true);
  });
});
