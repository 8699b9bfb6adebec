/**
 * The line scan on single fields: which texts pass whole (and what they become once trailing
 * zeros are cut), and which must take the decoding path; the same for its WebAssembly form
 * (line-scan-wasm.ts), which must agree with it on every line. The end-to-end check that passing
 * lines print exactly what decoding prints is tests/csv-lines.test.ts.
 */
import { describe, expect, test } from "bun:test";
import type { DataType } from "../../src/api/index.ts";
import { lineScan } from "./line-check.ts";
import { wasmLineScan } from "./line-scan-wasm.ts";

/** Scans a block of lines as lineRows does (a failing line leaves the compacted bytes): the failing lines' starts, the line ends and the compacted bytes. */
function scanBlock(
  impl: "js" | "wasm",
  types: DataType[],
  delimiter: string,
  cutDecimals: boolean,
  text: string,
  csv = false,
): { fails: number[]; starts: number[]; out: string; zoned: number } {
  const bytes = Buffer.from(text, "utf8");
  let b: Uint8Array;
  let st: Int32Array;
  let starts: Int32Array;
  let scan: (p: number, last: number) => number;
  if (impl === "js") {
    const s = lineScan(types, delimiter, { cutDecimals, csv })!;
    b = new Uint8Array(bytes);
    st = new Int32Array(4);
    starts = new Int32Array(bytes.length + 2);
    scan = (p, last) => s.scan(b, p, last, starts, st);
  } else {
    const pool = wasmLineScan(types, delimiter, { cutDecimals, csv })!;
    const w = pool.acquire()!;
    pool.release(w);
    b = w.block;
    b.fill(0xaa, 0, bytes.length + 64);
    b.set(bytes);
    ({ st, starts } = w);
    scan = w.scan;
  }
  st.set([0, 0, 1, 0]);
  starts[0] = 0;
  const last = bytes.lastIndexOf(10);
  const fails: number[] = [];
  for (let p = 0; p <= last; ) {
    p = scan(p, last);
    if (p > last) {
      break;
    }
    fails.push(p);
    const nl = b.indexOf(10, p);
    if (st[0] !== st[1]) {
      b.copyWithin(st[0]!, st[1]!, p);
    }
    st[0] = st[0]! + p - st[1]!;
    st[1] = nl + 1;
    p = nl + 1;
  }
  if (st[0] !== st[1]) {
    b.copyWithin(st[0]!, st[1]!, last + 1);
  }
  const ends = Array.from(starts.subarray(0, st[2]));
  return { fails, starts: ends, out: Buffer.from(b.subarray(0, ends.at(-1))).toString("utf8"), zoned: st[3]! };
}

/** The field's output when a line of it (and an int) passes the scan, else undefined. */
function scanned(type: DataType, text: string, cutDecimals = true, impl: "js" | "wasm" = "js"): string | undefined {
  const r = scanBlock(impl, [type, { kind: "int" }], ",", cutDecimals, `${text},7\n`);
  if (r.fails.length) {
    return undefined;
  }
  expect(r.out.endsWith(",7\n")).toBe(true);
  return r.out.slice(0, -3);
}

const cases: [DataType, [string, string | undefined][]][] = [
  [
    { kind: "int" },
    [
      ["0", "0"],
      ["-7", "-7"],
      ["2147483647", undefined],
      ["999999999", "999999999"],
      ["-0", undefined],
      ["007", undefined],
      // An empty field is null, which prints empty.
      ["", ""],
      ["+5", undefined],
      ["-", undefined],
      ["1a", undefined],
    ],
  ],
  [
    { kind: "tinyint" },
    [
      ["99", "99"],
      ["100", undefined],
    ],
  ],
  [
    { kind: "bigint" },
    [
      ["123456789012345678", "123456789012345678"],
      ["1234567890123456789", undefined],
      ["-01", undefined],
    ],
  ],
  [
    { kind: "decimal", precision: 10, scale: 2 },
    [
      ["12.30", "12.3"],
      ["0.00", "0"],
      ["100.00", "100"],
      ["100", "100"],
      ["-5.50", "-5.5"],
      ["0.05", "0.05"],
      ["-0.5", "-0.5"],
      ["-0.00", undefined],
      ["-0", undefined],
      ["01.5", undefined],
      ["1.", undefined],
      [".5", undefined],
      ["1e5", undefined],
    ],
  ],
  [
    { kind: "double" },
    [
      ["0.5", "0.5"],
      ["0.50", "0.5"],
      ["12.00", "12.0"],
      ["-7.25", "-7.25"],
      ["0.001", "0.001"],
      ["0.0001", undefined],
      ["0.000", undefined],
      ["-0.0", undefined],
      ["12", undefined],
      ["1e5", undefined],
      ["9999999.5", "9999999.5"],
      ["10000000.5", undefined],
      ["1234567.123456789", undefined],
      ["1234567.12345678", "1234567.12345678"],
      ["00.5", undefined],
      ["0.", undefined],
    ],
  ],
  [
    { kind: "boolean" },
    [
      ["true", "true"],
      ["false", "false"],
      ["TRUE", undefined],
      ["tru", undefined],
      ["falsey", undefined],
    ],
  ],
  [
    { kind: "string" },
    [
      ["plain", "plain"],
      ["ünï ✓", "ünï ✓"],
      ["a b", "a b"],
      ["", ""],
      [" lead", undefined],
      ["trail ", undefined],
      ['a"b', undefined],
      ["a\rb", undefined],
      ["x\u007f", undefined],
      // Past 16 bytes (the WebAssembly scan looks for the end 16 bytes at a time).
      ["exactly sixteen!", "exactly sixteen!"],
      ["seventeen letters", "seventeen letters"],
      ["a much longer string value, still one field?", undefined],
      ["a much longer string value; still one field", "a much longer string value; still one field"],
      ['sixteen letters "quote', undefined],
      ["seventeen letters\rcr", undefined],
      ["twenty characters ends ", undefined],
      ["ends with a tab after 16\t", undefined],
    ],
  ],
  [
    { kind: "date" },
    [
      ["2024-02-29", "2024-02-29"],
      ["2000-02-29", "2000-02-29"],
      ["2023-02-29", undefined],
      ["1900-02-29", undefined],
      ["2024-04-30", "2024-04-30"],
      ["2024-04-31", undefined],
      ["2024-01-31", "2024-01-31"],
      ["2024-13-01", undefined],
      ["2024-00-10", undefined],
      ["2024-12-00", undefined],
      ["0999-01-01", undefined],
      ["1000-01-01", "1000-01-01"],
      ["2024-3-5", undefined],
      ["2024/03/05", undefined],
    ],
  ],
  [
    { kind: "time" },
    [
      ["00:00:00", "00:00:00"],
      ["23:59:59", "23:59:59"],
      ["24:00:00", undefined],
      ["19:60:00", undefined],
      ["12:00:60", undefined],
      ["1:00:00", undefined],
      ["23:59:5", undefined],
      ["23:59:5x", undefined],
      ["23:59:59 ", undefined],
    ],
  ],
  [
    { kind: "timestamp" },
    [
      ["2024-02-29 23:59:59", "2024-02-29 23:59:59"],
      // The ISO shape: the default pattern prints no 'T', fraction or offset.
      ["2024-02-29T23:59:59", "2024-02-29 23:59:59"],
      ["2024-02-29 23:59:59.5", "2024-02-29 23:59:59"],
      ["2024-02-29T23:59:59.123456789", "2024-02-29 23:59:59"],
      ["2024-02-29T23:59:59.976+02:00", "2024-02-29 23:59:59"],
      ["2024-02-29 23:59:59-05:30", "2024-02-29 23:59:59"],
      ["2024-02-29T23:59:59Z", "2024-02-29 23:59:59"],
      ["2024-02-29T23:59:59.0000000000", undefined],
      ["2024-02-29T23:59:59.", undefined],
      ["2024-02-29T23:59:59+19:00", undefined],
      ["2024-02-29T23:59:59+2:00", undefined],
      ["2024-02-29T23:59:59+02:60", undefined],
      ["2024-02-29T23:59:59Z1", undefined],
      ["2024-02-29t23:59:59", undefined],
      ["2023-02-29 00:00:00", undefined],
      ["2024-01-01 24:00:00", undefined],
      ["2024-02-29 23:59:5x", undefined],
      ["2024-02-29 23:59:60", undefined],
      ["2024-02-29 23:5x:59", undefined],
      ["2024-02-29 2x:59:59", undefined],
      ["2024-02-29 23:60:59", undefined],
      ["2024-02-29 23:59", undefined],
      ["2024-02-2x 23:59:59", undefined],
      ["2024-02-29  23:59:5", undefined],
      ["1000-01-01 00:00:00", "1000-01-01 00:00:00"],
    ],
  ],
];

describe("line scan", () => {
  for (const impl of ["js", "wasm"] as const) {
    for (const [type, list] of cases) {
      test(`${impl} ${type.kind}: canonical texts pass (trailing zeros cut), others take the decoding path`, () => {
        for (const [text, want] of list) {
          expect([text, scanned(type, text, true, impl)]).toEqual([text, want]);
        }
      });
    }

    test(`${impl}: without cutDecimals a decimal passes as written, trailing zeros and all (it keeps its scale)`, () => {
      const t: DataType = { kind: "decimal", precision: 10, scale: 2 };
      expect(scanned(t, "12.30", false, impl)).toBe("12.30");
      expect(scanned(t, "0.00", false, impl)).toBe("0.00");
      expect(scanned(t, "12.3", false, impl)).toBe("12.3");
      // Still not a negative zero, a bare point or a leading zero: those take the decoding path.
      expect(scanned(t, "-0.00", false, impl)).toBeUndefined();
      expect(scanned(t, "12.", false, impl)).toBeUndefined();
      expect(scanned(t, "012.30", false, impl)).toBeUndefined();
    });

    test(`${impl}: without cutDecimals a timestamp keeps its fraction (only its 'T' and offset go, which change nothing)`, () => {
      const t: DataType = { kind: "timestamp" };
      expect(scanned(t, "2024-02-29T23:59:59", false, impl)).toBe("2024-02-29 23:59:59");
      expect(scanned(t, "2024-02-29 23:59:59.5", false, impl)).toBe("2024-02-29 23:59:59.5");
      expect(scanned(t, "2024-02-29T23:59:59.123456789+02:00", false, impl)).toBe("2024-02-29 23:59:59.123456789");
      expect(scanned(t, "2024-02-29 23:59:59Z", false, impl)).toBe("2024-02-29 23:59:59");
      expect(scanned(t, "2024-02-29 23:59:59.", false, impl)).toBeUndefined();
      // Offsets cut from lines that pass are counted (for the reader's warning); a failing line's are not.
      const text = "2024-02-29T23:59:59Z,1\n2024-02-29 23:59:59+02:00,x\n2024-02-29 23:59:59-01:00,2\n";
      expect(scanBlock(impl, [t, { kind: "int" }], ",", false, text).zoned).toBe(2);
    });

    test(`${impl}: CRLF lines lose their CR; a CR elsewhere takes the decoding path`, () => {
      const types: DataType[] = [{ kind: "int" }, { kind: "decimal", precision: 10, scale: 2 }];
      expect(scanBlock(impl, types, ",", true, "1,2.50\r\n3,\r\n,4\n")).toEqual({
        fails: [],
        starts: [0, 6, 9, 12],
        out: "1,2.5\n3,\n,4\n",
        zoned: 0,
      });
      // Without cuts too: the CR is no part of a value.
      expect(scanBlock(impl, types, ",", false, "1,2.5\r\n3,4\n").out).toBe("1,2.5\n3,4\n");
      const strings: DataType[] = [{ kind: "int" }, { kind: "string" }];
      for (const cut of [true, false]) {
        expect(scanBlock(impl, strings, ",", cut, "1,ab\r\n2,a\rb\n3,c\r\r\n4,d \r\n").fails).toEqual([6, 12, 18]);
      }
    });

    test(`${impl}: in a csv file a quoted field loses its quotes where the writer prints it without`, () => {
      const types: DataType[] = [{ kind: "int" }, { kind: "string" }, { kind: "decimal", precision: 9, scale: 2 }];
      const text = '"1","ab","2.50"\n"2",a,3\n3,"a,b",1\n4,"a""b",1\n5,"",1\n6," a",1\n"7\n"8",x,"1"\r\n';
      // Strings the writer quotes too (a delimiter, a doubled quote, empty, an edge space) keep their quotes.
      expect(scanBlock(impl, types, ",", true, text, true)).toEqual({
        fails: [61],
        starts: [0, 9, 15, 25, 36, 43, 52, 58],
        out: '1,ab,2.5\n2,a,3\n3,"a,b",1\n4,"a""b",1\n5,"",1\n6," a",1\n8,x,1\n',
        zoned: 0,
      });
      // Without cuts (a PostgreSQL sink) such a field takes the splitter; other quoted fields still
      // lose their quotes (in a schema of more than 16 columns, only strings).
      expect(scanBlock(impl, types, ",", false, '1,"a,b",1\n2,"ab",1\n"3",c,1\n', true)).toMatchObject({
        fails: [0],
        out: "2,ab,1\n3,c,1\n",
      });
      const wide: DataType[] = Array.from({ length: 17 }, (_, i) => (i ? { kind: "string" } : { kind: "int" }));
      const row = (first: string) => `${first},${Array.from({ length: 16 }, () => '"s"').join(",")}\n`;
      expect(scanBlock(impl, wide, ",", false, row("1") + row('"2"'), true).fails).toEqual([row("1").length]);
      // A quoted line break takes the splitter; a quote in an unquoted field or after a closing one fails.
      expect(scanBlock(impl, types, ",", true, '1,"a\r",1\n2,a"b,1\n3,"a"b,1\n', true).fails).toEqual([0, 9, 17]);
      // A text file's quotes are text: they fail the check, as before.
      expect(scanBlock(impl, types, ",", true, '"1",a,1\n', false).fails).toEqual([0]);
    });

    test(`${impl}: a blank line of a one-column file takes the splitter (which skips it)`, () => {
      expect(scanBlock(impl, [{ kind: "string" }], ",", true, "a\n\nb\n\r\n").fails).toEqual([2, 5]);
    });

    test(`${impl}: a block's passing lines are compacted around a failing one`, () => {
      const r = scanBlock(
        impl,
        [{ kind: "double" }, { kind: "string" }],
        ",",
        true,
        "1.50,a\n2.0,b c\n3,bad\n4.25,d\n",
      );
      expect(r).toEqual({ fails: [15], starts: [0, 6, 14, 21], out: "1.5,a\n2.0,b c\n4.25,d\n", zoned: 0 });
    });
  }
});

describe("line scan: WebAssembly and JavaScript", () => {
  test("a wide csv schema (over 127 locals, whose indexes take two bytes) compiles and agrees", () => {
    const kinds: DataType[] = [{ kind: "bigint" }, { kind: "string" }, { kind: "decimal", precision: 12, scale: 2 }];
    const types = Array.from({ length: 60 }, (_, i) => kinds[i % 3]!);
    expect(wasmLineScan(types, ",", { cutDecimals: true, csv: true })).toBeDefined();
    const line = types.map((t, i) => (t.kind === "string" ? `"s${i}"` : t.kind === "decimal" ? "1.50" : String(i)));
    const text = `${line.join(",")}\n${line.join(",").replace("s1", "a,b")}\n`;
    const js = scanBlock("js", types, ",", true, text, true);
    expect(js.fails).toEqual([]);
    expect(scanBlock("wasm", types, ",", true, text, true)).toEqual(js);
  });

  test("the WebAssembly scan agrees with the JavaScript scan on random lines of random schemas", () => {
    const values: Record<string, string[]> = {};
    for (const [type, list] of cases) {
      values[type.kind] = list.map(([text]) => text);
    }
    const kinds = Object.keys(values);
    let seed = 12345;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
    let compared = 0;
    for (let s = 0; s < 60; s++) {
      const types = Array.from({ length: 1 + rnd(6) }, () => {
        const kind = kinds[rnd(kinds.length)];
        return cases.find(([t]) => t.kind === kind)![0];
      });
      const delimiter = [",", "|", "\t", ";"][rnd(4)]!;
      for (let i = 0; i < 50; i++) {
        const lines = Array.from({ length: 1 + rnd(6) }, () =>
          types.map((t) => values[t.kind]![rnd(values[t.kind]!.length)]!).join(delimiter),
        );
        const eol = rnd(3) === 0 ? "\r\n" : "\n";
        const text = `${lines.join(eol)}${eol}`;
        const cut = rnd(2) === 0;
        const csv = rnd(2) === 0;
        const quoted = csv
          ? text.replace(/(^|[,|\t;])([^,|\t;\n\r"]+)(?=[,|\t;\r\n])/gm, (m, a, b) => (rnd(3) ? m : `${a}"${b}"`))
          : text;
        expect([quoted, scanBlock("wasm", types, delimiter, cut, quoted, csv)]).toEqual([
          quoted,
          scanBlock("js", types, delimiter, cut, quoted, csv),
        ]);
        compared++;
      }
    }
    expect(compared).toBe(3000);
  });
});
