/**
 * Debian's Chromium for the browser tests, driven by playwright-core (no browser download). A
 * machine without it gets the packages chromium and chromium-driver from Debian's registry, as
 * a test's set-up starts a service that is down.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export async function ensureChromium(): Promise<void> {
  if (existsSync(CHROMIUM)) {
    return;
  }
  console.log("[browser] installing Debian's chromium and chromium-driver with apt-get");
  // An install stopped half-way (a test run killed) leaves dpkg to finish first.
  await aptStep(["dpkg", "--configure", "-a"]);
  await aptStep(["apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"]);
  if (!existsSync(CHROMIUM)) {
    throw new Error(`apt-get installed chromium, but ${CHROMIUM} is not there`);
  }
}

async function aptStep(cmd: string[]): Promise<void> {
  const p = Bun.spawn(cmd, {
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  if (code !== 0) {
    throw new Error(`${cmd.join(" ")} failed (exit ${code}):\n${(out + err).split("\n").slice(-10).join("\n")}`);
  }
}

/** Headless Chromium with a fresh profile, and without the background traffic a closed network refuses. */
export async function launch(): Promise<Browser> {
  await ensureChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
