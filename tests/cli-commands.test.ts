/**
 * The command tree (src/cli/commands.ts, citty) against the help texts (src/cli/help.ts): every
 * command the global help lists has its own help, and the dispatch keeps its edges — a group's -h
 * runs no subcommand, names of Object.prototype are not commands, the client form reaches run.
 */
import { describe, expect, test } from "bun:test";
import { runBin } from "./helpers.ts";

describe("seatunnel's command tree", () => {
  test("every command the global help lists has a help of its own, by `help <command>` and by -h", async () => {
    const global = (await runBin(["help"])).stdout;
    const listed = global
      .slice(global.indexOf("Commands:\n"), global.indexOf("\n\n", global.indexOf("Commands:\n")))
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s{2,}/)[0]!);
    expect(listed).toContain("connectors describe <Name>");
    expect(listed).toContain("checkpoints prune");
    expect(listed).toContain("cluster start");
    expect(listed.length).toBe(11);
    for (const usage of listed) {
      const words = usage.split(" ").filter((w) => !/^[<[]/.test(w));
      const byTopic = await runBin(["help", ...words]);
      expect([usage, byTopic.code]).toEqual([usage, 0]);
      expect(byTopic.stdout).toStartWith(`Usage: seatunnel ${usage}`);
      if (words[0] === "help") {
        continue; // `help -h` is the global help
      }
      const byFlag = await runBin([...words, "-h"]);
      expect(byFlag.stdout).toBe(byTopic.stdout);
      // run -h exits 234 as SeaTunnel's client does; every other help exits 0.
      expect([usage, byFlag.code]).toEqual([usage, words[0] === "run" ? 234 : 0]);
    }
  }, 30_000);

  test("a group's -h before a subcommand prints the group's help and runs nothing", async () => {
    for (const group of ["connectors", "checkpoints"]) {
      const alone = await runBin([group, "-h"]);
      const before = await runBin([group, "-h", "list"]);
      expect(before.code).toBe(0);
      expect(before.stdout).toBe(alone.stdout);
      expect(before.stdout).toStartWith(`Usage: seatunnel ${group} list`);
      expect(before.stderr).toBe("");
    }
  });

  test("names of Object.prototype are not commands", async () => {
    const cases: [string[], string][] = [
      [["toString"], 'command "toString" is not a known command'],
      [["connectors", "constructor"], 'command "connectors constructor" is not a known command'],
      [["checkpoints", "__proto__"], 'subcommand "__proto__" is not a known subcommand of checkpoints'],
    ];
    for (const [args, message] of cases) {
      const r = await runBin(args);
      expect([args, r.code]).toEqual([args, 234]);
      expect(r.stderr).toStartWith(`error[USAGE]: ${message}`);
    }
  });

  test("SeaTunnel's client form reaches run: flags or a job file first", async () => {
    for (const args of [["--config", "nothing.conf", "--check"], ["nothing.conf", "--check"], ["--verbose"]]) {
      const r = await runBin(args);
      expect([args, r.code]).toEqual([args, args.length === 1 ? 234 : 2]);
      expect(r.stderr).toContain(args.length === 1 ? "no job file given" : "nothing.conf");
    }
  });

  test("a value of a checkpoints flag may start with a dash, and an empty one is refused", async () => {
    const dashed = await runBin(["checkpoints", "list", "--dir", "--json"]);
    expect(dashed.code).toBe(0);
    expect(dashed.stdout).toStartWith("No job folders in ");
    expect(dashed.stdout).toContain("--json");
    const empty = await runBin(["checkpoints", "list", "--dir="]);
    expect(empty.code).toBe(234);
    expect(empty.stderr).toBe(
      'error[USAGE]: checkpoints list: flag "--dir" needs a value\nRun `seatunnel checkpoints list -h` for the flags.\n',
    );
  });
});
