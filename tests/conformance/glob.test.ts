import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { globFiles, matchSegments, segmentRegex, splitGlob } from "./glob.ts";

const m = (pattern: string, path: string) => matchSegments(pattern.split("/"), path.split("/"));

describe("glob matching", () => {
  test("* and ? match within one segment only", () => {
    expect(m("a/*", "a/x.txt")).toBe(true);
    expect(m("a/*", "a/b/x.txt")).toBe(false);
    expect(m("a/?.txt", "a/x.txt")).toBe(true);
    expect(m("a/?.txt", "a/xy.txt")).toBe(false);
    expect(m("c_string=*/**", "c_string=abc/part-0")).toBe(true);
  });

  test("** matches any number of segments, zero included", () => {
    expect(m("**", "x")).toBe(true);
    expect(m("a/**", "a/b/c/d.txt")).toBe(true);
    expect(m("a/**/d.txt", "a/d.txt")).toBe(true);
    expect(m("a/**/d.txt", "a/b/c/d.txt")).toBe(true);
    expect(m("a/**/d.txt", "a/b/c/e.txt")).toBe(false);
  });

  test("wildcards skip hidden names unless the pattern names the dot", () => {
    expect(m("a/*", "a/.part.crc")).toBe(false);
    expect(m("a/**", "a/.tmp/x")).toBe(false);
    expect(m("a/.*", "a/.part.crc")).toBe(true);
  });

  test("treats regex characters in a segment literally", () => {
    expect(segmentRegex("a+(b).txt").test("a+(b).txt")).toBe(true);
    expect(segmentRegex("a.txt").test("abtxt")).toBe(false);
  });

  test("splits the literal base folder from the wildcard part", () => {
    expect(splitGlob("/tmp/hive/test1/c=*/**", "/")).toEqual({ base: "/tmp/hive/test1", rest: ["c=*", "**"] });
    expect(splitGlob("/tmp/a/b.txt", "/")).toEqual({ base: "/tmp/a", rest: ["b.txt"] });
  });
});

describe("globFiles", () => {
  let dir = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "glob-test-"));
    await mkdir(join(dir, "a/b/c"), { recursive: true });
    await writeFile(join(dir, "a/one.txt"), "1\n");
    await writeFile(join(dir, "a/b/two.txt"), "2\n");
    await writeFile(join(dir, "a/b/c/three.txt"), "3\n");
    await writeFile(join(dir, "a/.hidden"), "");
    await symlink(join(dir, "a/one.txt"), join(dir, "a/link.txt"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("lists only regular files that match", async () => {
    expect(await globFiles(`${dir}/a/*`, "/")).toEqual([join(dir, "a/one.txt")]);
    expect((await globFiles(`${dir}/a/**`, "/")).length).toBe(3);
    expect(await globFiles(`${dir}/a/**/three.txt`, "/")).toEqual([join(dir, "a/b/c/three.txt")]);
  });

  test("gives nothing for a base folder that does not exist", async () => {
    expect(await globFiles(`${dir}/missing/**`, "/")).toEqual([]);
  });
});
