import { describe, expect, test } from "bun:test";
import {
  applyRewrite,
  evalArgs,
  hasNameArg,
  parseRewrite,
  splitNul,
  substitute,
  unescapeText,
  unresolvedPlaceholders,
} from "./text.ts";

describe("substitute", () => {
  test("replaces the runner's placeholders and leaves other ${...} alone", () => {
    const vars = { ST_ROOT: "/tmp/r", HTTP_FIXTURE_PORT: "4321" };
    expect(substitute("${ST_ROOT}/a:${HTTP_FIXTURE_PORT} ${resName}", vars)).toBe("/tmp/r/a:4321 ${resName}");
  });

  test("leaves a placeholder without value as a token and reports it", () => {
    const text = substitute("http://127.0.0.1:${HTTP_FIXTURE_PORT}", { ST_ROOT: "/r" });
    expect(text).toBe("http://127.0.0.1:${HTTP_FIXTURE_PORT}");
    expect(unresolvedPlaceholders(text)).toEqual(["${HTTP_FIXTURE_PORT}"]);
  });
});

describe("rewrite", () => {
  test("parses pairs on ' ;; ' with new = everything after the first =>", () => {
    expect(parseRewrite('a=>b ;; auth = "x"=> ;; p=>q=>r').pairs).toEqual([
      { old: "a", new: "b" },
      { old: 'auth = "x"', new: "" },
      { old: "p", new: "q=>r" },
    ]);
    expect(parseRewrite("nothing here").errors).toHaveLength(1);
    expect(parseRewrite("").pairs).toEqual([]);
  });

  test("applies literal pairs in order and deletes old when new is empty", () => {
    const { pairs } = parseRewrite('mysql-e2e:3306=>127.0.0.1:3306 ;; auth = "U2V"=>');
    expect(applyRewrite('url = "jdbc:mysql://mysql-e2e:3306/x"\nauth = "U2V"\n', pairs, {})).toBe(
      'url = "jdbc:mysql://127.0.0.1:3306/x"\n\n',
    );
  });

  test("substitutes placeholders only at the end so no pair matches the output of an earlier one", () => {
    const { pairs } = parseRewrite('"/tmp/seatunnel=>"${ST_ROOT}/tmp/seatunnel ;; /tmp=>/WRONG ;; ST_ROOT=>X');
    const out = applyRewrite('path = "/tmp/seatunnel/json"', pairs, { ST_ROOT: "/tmp/st-1" });
    expect(out).toBe('path = "/tmp/st-1/tmp/seatunnel/json"');
  });

  test("never lets a later pair match inside an earlier replacement", () => {
    const { pairs } = parseRewrite("a=>b ;; b=>c");
    expect(applyRewrite("a b", pairs, {})).toBe("b c");
  });
});

describe("unescapeText", () => {
  test("decodes \\t \\n \\\\ and \\uXXXX and keeps other backslashes", () => {
    expect(unescapeText("a\\tb\\nc\\\\d\\u0001e\\x")).toBe("a\tb\nc\\d\u0001e\\x");
  });
});

describe("args evaluation", () => {
  test("evaluates the args with bash like the ITs, expanding $(...)", async () => {
    const words = await evalArgs('-i resName=a$(echo 2024) -i strTemplate=[abc,def] -i "q=a b"', {
      ...process.env,
      TZ: "UTC",
    });
    expect(words).toEqual(["-i", "resName=a2024", "-i", "strTemplate=[abc,def]", "-i", "q=a b"]);
  });

  test("gives no words for empty args", async () => {
    expect(await evalArgs("  ", process.env)).toEqual([]);
  });

  test("fails on args bash cannot parse", async () => {
    await expect(evalArgs("-i 'unterminated", process.env)).rejects.toThrow();
  });

  test("splits NUL-separated output and keeps empty words", () => {
    expect(splitNul("a\0\0b c\0")).toEqual(["a", "", "b c"]);
  });

  test("sees a --name given in args", () => {
    expect(hasNameArg(["--name", "x.conf"])).toBe(true);
    expect(hasNameArg(["--name=x.conf"])).toBe(true);
    expect(hasNameArg(["-i", "name=x"])).toBe(false);
  });
});
