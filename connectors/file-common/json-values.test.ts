import { describe, expect, test } from "bun:test";
import { Decimal, T } from "../../src/api/index.ts";
import { jsonRowReader } from "./json-values.ts";

describe("JSON rows with exact numbers", () => {
  const read = jsonRowReader([
    { name: "id", type: T.bigint },
    { name: "amount", type: T.decimal(38, 18) },
  ]);
  const exact = (text: string) => {
    const [id, amount] = read(text)!;
    return [String(id), (amount as Decimal | null)?.toString() ?? null];
  };

  test("every literal keeps its digits and scale, whichever way it is parsed", () => {
    const cases: [string, string, string | null][] = [
      ['{"id":1,"amount":0.1}', "1", "0.1"],
      ['{"id":123456789012345,"amount":-5.25}', "123456789012345", "-5.25"],
      ['{"id":9007199254740993,"amount":1.10}', "9007199254740993", "1.10"],
      ['{"id":-9223372036854775808,"amount":0.30000000000000004}', "-9223372036854775808", "0.30000000000000004"],
      ['{"id":2,"amount":1E+3}', "2", "1E+3"],
      ['{"id":3,"amount":0.0000001}', "3", "1E-7"],
      ['{"id":4,"amount":123456789012345.123456789}', "4", "123456789012345.123456789"],
      ['{"id":5,"amount":null}', "5", null],
      // An integral value written with a scale keeps it (PostgreSQL's row_to_json writes numeric(20,3) so).
      ['{"id":6,"amount":457624623805594.000}', "6", "457624623805594.000"],
    ];
    for (const [text, id, amount] of cases) {
      const [gotId, gotAmount] = exact(text);
      expect(gotId).toBe(id);
      if (amount === null) {
        expect(gotAmount).toBeNull();
      } else {
        expect(gotAmount).toBe(Decimal.parse(amount).toString());
      }
    }
  });
});
