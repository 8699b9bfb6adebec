import { describe, expect, test } from "bun:test";
import { selfArgv, wantsOneMarker } from "./gc-tuning.ts";

describe("GC marker tuning", () => {
  test("only a job with more than one chain on more than one worker asks for one marker", () => {
    expect(wantsOneMarker(2, 2, {})).toBe(true);
    expect(wantsOneMarker(1, 4, {})).toBe(false);
    expect(wantsOneMarker(8, 1, {})).toBe(false);
  });

  test("a user's own setting, or SEATUNNEL_NO_REEXEC=1, is left alone", () => {
    expect(wantsOneMarker(2, 2, { BUN_JSC_numberOfGCMarkers: "4" })).toBe(false);
    expect(wantsOneMarker(2, 2, { SEATUNNEL_NO_REEXEC: "1" })).toBe(false);
  });

  test("the compiled binary drops its embedded entry from argv; bun keeps the script", () => {
    expect(selfArgv(["bun", "/$bunfs/root/seatunnel", "run", "a.conf"], "/opt/seatunnel")).toEqual({
      path: "/opt/seatunnel",
      argv: ["/opt/seatunnel", "run", "a.conf"],
    });
    expect(selfArgv(["/usr/bin/bun", "src/main.ts", "run", "a.conf"], "/usr/bin/bun")).toEqual({
      path: "/usr/bin/bun",
      argv: ["/usr/bin/bun", "src/main.ts", "run", "a.conf"],
    });
  });
});
