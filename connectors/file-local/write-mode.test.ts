import { describe, expect, test } from "bun:test";
import { T } from "../../src/api/index.ts";
import { createSink, table } from "../../src/api/testing.ts";
import { localFileSink } from "./index.ts";

const input = table("db.t", [["id", T.int]]);
const describeWith = async (body: string) =>
  (await createSink(localFileSink, `path = "/tmp/out/\${table_name}"\n${body}`, [input], { checkOnly: true }))
    .describeWrite!();

describe("LocalFile sink write mode", () => {
  test("names the files, the directory and what a re-run does per save mode", async () => {
    expect(await describeWith("file_format_type = csv")).toBe(
      'writes new csv files into "/tmp/out/t" (${transactionId}_<part>, moved there on commit); a re-run adds its files next to the earlier ones (data_save_mode = APPEND_DATA)',
    );
    expect(
      await describeWith('file_format_type = json\nfile_name_expression = "out"\nis_enable_transaction = false'),
    ).toBe(
      'writes new json files into "/tmp/out/t" (out_<part>); a re-run overwrites files of the same name and keeps the others (data_save_mode = APPEND_DATA)',
    );
    expect(await describeWith("data_save_mode = DROP_DATA")).toEndWith(
      "a re-run deletes the files there first (data_save_mode = DROP_DATA)",
    );
    expect(await describeWith("data_save_mode = ERROR_WHEN_DATA_EXISTS")).toEndWith(
      "a re-run fails while files are there (data_save_mode = ERROR_WHEN_DATA_EXISTS)",
    );
  });

  test("names each input table's directory for seatunnel plan", async () => {
    const sink = await createSink(localFileSink, 'path = "/tmp/out/${table_name}"\nfile_format_type = csv', [input], {
      checkOnly: true,
    });
    expect(sink.targets).toEqual({
      "db.t":
        '"/tmp/out/t", csv files: a re-run adds its files next to the earlier ones (data_save_mode = APPEND_DATA)',
    });
  });
});
