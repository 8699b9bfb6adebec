import { expect, test } from "bun:test";
import pkg from "../package.json" with { type: "json" };
import { VERSION } from "./version.ts";

test("the version the binary prints is package.json's", () => {
  expect(VERSION).toBe(pkg.version);
});
