import { describe, expect, test } from "bun:test";
import { peakRssKb, vmHwmKb } from "./peak-rss.ts";

describe("peak RSS", () => {
  test("VmHWM is read from /proc/<pid>/status text", () => {
    expect(vmHwmKb("Name:\tbun\nVmPeak:\t  900 kB\nVmHWM:\t   61234 kB\nVmRSS:\t 50000 kB\n")).toBe(61234);
    expect(vmHwmKb("Name:\tbun\n")).toBeUndefined();
  });

  test("the peak handed over by the replaced image counts only when it is the higher one", () => {
    const own = peakRssKb(Number.NaN);
    expect(own).toBeGreaterThan(1000);
    expect(peakRssKb(own + 5000)).toBe(own + 5000);
    expect(peakRssKb(1)).toBeGreaterThanOrEqual(own);
  });
});
