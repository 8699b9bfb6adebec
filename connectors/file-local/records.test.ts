import { describe, expect, test } from "bun:test";
import { type DataType, Decimal, LocalDate, LocalDateTime, LocalTime, T } from "../../src/api/index.ts";
import { RecordSplitter, type SplitterOptions } from "../file-common/records.ts";
import { dateTimeCodec, timeCodec } from "../file-common/temporal.ts";
import { codecs, fieldFormatter, fieldParser, plainStripped } from "../file-common/text-values.ts";

function split(
  chunks: string[],
  o: Partial<SplitterOptions> = {},
): { fields: string[]; quoted: boolean[]; line: number }[] {
  const sp = new RecordSplitter({ mode: "csv", fieldDelimiter: ",", rowDelimiter: "\n", skipLines: 0, ...o });
  const out: { fields: string[]; quoted: boolean[]; line: number }[] = [];
  let i = 0;
  for (;;) {
    const r = sp.next();
    if (r === null) {
      return out;
    }
    if (r === undefined) {
      if (i < chunks.length) {
        sp.feed(chunks[i++]!);
      } else {
        sp.end();
      }
      continue;
    }
    out.push({ fields: [...r], quoted: sp.anyQuoted ? [...sp.quoted] : r.map(() => false), line: sp.line });
  }
}

describe("RecordSplitter (csv)", () => {
  test("reads quoted fields with embedded delimiters, quotes and newlines", () => {
    const r = split(['a,"b, c","say ""hi""","two\nlines"\nx,y,z,w\n']);
    expect(r.map((x) => x.fields)).toEqual([
      ["a", "b, c", 'say "hi"', "two\nlines"],
      ["x", "y", "z", "w"],
    ]);
    expect(r[1]!.line).toBe(3);
  });

  test("keeps a record whole when it is cut between chunks, even inside quotes", () => {
    const r = split(['1,"ab', 'c""d",e\r', "\n2,", "x,y"]);
    expect(r.map((x) => x.fields)).toEqual([
      ["1", 'abc"d', "e"],
      ["2", "x", "y"],
    ]);
  });

  test("drops a leading BOM, blank lines and CRLF line ends", () => {
    expect(split(["\uFEFFa,b\r\n\r\nc,d\r\n"]).map((x) => x.fields)).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  test("tells a quoted empty field from an empty one", () => {
    const [r] = split(['"",,x\n']);
    expect(r!.fields).toEqual(["", "", "x"]);
    expect(r!.quoted).toEqual([true, false, false]);
  });

  test("skips header lines before parsing", () => {
    expect(split(["h1,h2\nskip,me\n1,2\n"], { skipLines: 2 }).map((x) => x.fields)).toEqual([["1", "2"]]);
  });

  test("fails clearly on an unterminated quote", () => {
    expect(() => split(['a,"never closed\n'])).toThrow(/unterminated quoted field/);
  });
});

describe("RecordSplitter (text)", () => {
  test("splits on a Java regex delimiter as SeaTunnel's String.split does", () => {
    const r = split(["a|b|c\n"], { mode: "text", fieldDelimiter: "\\|" });
    expect(r[0]!.fields).toEqual(["a", "b", "c"]);
  });

  test("keeps trailing empty fields and honours a custom row delimiter", () => {
    const r = split(["a\u0001\u0001;;b\u0001c;;"], { mode: "text", fieldDelimiter: "\u0001", rowDelimiter: ";;" });
    expect(r.map((x) => x.fields)).toEqual([
      ["a", "", ""],
      ["b", "c"],
    ]);
  });
});

describe("text values", () => {
  const c = codecs({ dateFormat: "yyyy-MM-dd", datetimeFormat: "yyyy-MM-dd HH:mm:ss", timeFormat: "HH:mm:ss" });

  test("a blank field is null and numbers parse as Java does", () => {
    expect(fieldParser(T.int, c)("")).toBeNull();
    expect(fieldParser(T.string, c)("  ")).toBeNull();
    expect(fieldParser(T.int, c)("-42")).toBe(-42);
    expect(() => fieldParser(T.int, c)("4.2")).toThrow(/expects int/);
    expect(() => fieldParser(T.tinyint, c)("128")).toThrow(/expects tinyint/);
    expect(fieldParser(T.bigint, c)("9223372036854775807")).toBe(9223372036854775807n);
    expect(fieldParser(T.float, c)("2.4798444E38")).toBe(Math.fround(2.4798444e38));
    expect(fieldParser(T.boolean, c)("TRUE")).toBe(true);
  });

  test("decimals keep every written digit", () => {
    const d = fieldParser(T.decimal(38, 18), c)("76258155390368615610.764625237318660291") as Decimal;
    expect(d.toString()).toBe("76258155390368615610.764625237318660291");
    expect(plainStripped(Decimal.parse("7.7800"))).toBe("7.78");
    expect(plainStripped(Decimal.parse("100"))).toBe("100");
    expect(plainStripped(Decimal.parse("0.000"))).toBe("0");
  });

  test("nested arrays, maps and rows use the \\u0002 and \\u0003 separators", () => {
    const map = fieldParser(T.map(T.string, T.int), c)("a\u00031\u0002b\u00032") as Map<string, number>;
    expect([...map]).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    const row: DataType = {
      kind: "row",
      fields: [
        { name: "x", type: T.int },
        { name: "y", type: T.array(T.int) },
      ],
    };
    expect(fieldParser(row, c)("7\u00021\u00032")).toEqual([7, [1, 2]]);
    expect(fieldFormatter(row, c)([7, [1, 2]])).toBe("7\u00021\u00032");
  });

  test("temporal patterns parse strictly and format back", () => {
    const ts = dateTimeCodec("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    const v = ts.parse("2024-02-29T23:59:58.123456")!;
    expect(v.equals(new LocalDateTime(new LocalDate(2024, 2, 29), new LocalTime(23, 59, 58, 123456000)))).toBe(true);
    expect(ts.format(v)).toBe("2024-02-29T23:59:58.123456");
    expect(ts.parse("2023-02-29T00:00:00.000000")).toBeUndefined();
    expect(timeCodec("HH:mm:ss").parse("24:00:00")).toBeUndefined();
    expect(fieldParser(T.timestamp, c)("2023-05-08 16:08:51")).toEqual(LocalDateTime.parse("2023-05-08 16:08:51"));
  });
});

describe("java numbers", () => {
  const c = codecs({ dateFormat: "yyyy-MM-dd", datetimeFormat: "yyyy-MM-dd HH:mm:ss", timeFormat: "HH:mm:ss" });
  test("longs of every length parse exactly and out-of-range ones fail", () => {
    const p = fieldParser(T.bigint, c);
    for (const s of ["7", "-123456789012", "123456789012345", "1234567890123456", "-9223372036854775808"]) {
      expect(p(s)).toBe(BigInt(s));
    }
    expect(() => p("9223372036854775808")).toThrow(/expects bigint/);
    expect(() => p("1.5")).toThrow(/expects bigint/);
  });

  test("doubles accept Java's forms and refuse hex", () => {
    const p = fieldParser(T.double, c);
    expect(p("1.5e3")).toBe(1500);
    expect(p("2d")).toBe(2);
    expect(p("-Infinity")).toBe(-Infinity);
    expect(() => p("0x10")).toThrow(/expects double/);
  });
});
