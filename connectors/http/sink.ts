/**
 * The Http sink (SeaTunnel's HttpSinkWriter): every row is POSTed to `url` as a JSON object of its
 * fields (SeaTunnel's json format), one request per row, in order, with `headers`. A row whose
 * request is answered with anything but 2xx fails the job, naming the row's position in its batch
 * and the reply (SeaTunnel logs it and drops the row). Rows are sent as they come, so a restore
 * may send again the rows since the last checkpoint (at least once).
 */
import { JobError, type Logger, type Row, type Sink, type SinkWriter, type TableSchema } from "../../src/api/index.ts";
import { rowWriter } from "../file-common/json-values.ts";
import { okStatus, type Request, requestError, send, shownUrl, Unreachable } from "./client.ts";
import type { RequestOptions } from "./options.ts";
import { checkUrl } from "./source.ts";

export type HttpSinkOptions = Omit<RequestOptions, "method" | "body">;

/** A connector built on the Http sink: its own body per row (and requests, e.g. WeChat's batches). */
export interface BodyMaker {
  /** The bodies for a batch of rows of one table, with how many rows each covers. */
  bodies(rows: unknown[][], table: TableSchema): string[];
  /** A reply that is 2xx but says the request failed (Feishu's `code`), as an error message. */
  refused?(text: string): string | undefined;
}

const jsonBodies = (): BodyMaker => {
  const writers = new Map<string, (f: unknown[]) => string>();
  return {
    bodies(rows, t) {
      let w = writers.get(t.id);
      if (w === undefined) {
        w = rowWriter(t.columns.map((c) => ({ name: c.name, type: c.type })));
        writers.set(t.id, w);
      }
      return rows.map((f) => w!(f));
    },
  };
};

export function createHttpSink(
  o: HttpSinkOptions,
  inputs: readonly TableSchema[],
  label: string,
  maker: BodyMaker = jsonBodies(),
): Sink {
  checkUrl(o.url, label);
  return {
    describeWrite: () => `POST each row as JSON to ${shownUrl(o.url)} (at least once: a restore may send rows again)`,
    writer: (wctx) => new HttpWriter({ ...o, method: "POST" }, inputs, label, maker, wctx.log),
  };
}

class HttpWriter implements SinkWriter {
  private readonly tables = new Map<string, TableSchema>();

  constructor(
    private readonly o: RequestOptions,
    private readonly inputs: readonly TableSchema[],
    private readonly label: string,
    private readonly maker: BodyMaker,
    private readonly log: Logger,
  ) {
    for (const t of inputs) {
      this.tables.set(t.id, t);
    }
  }

  async write(batch: Row[]): Promise<void> {
    let i = 0;
    while (i < batch.length) {
      const table = batch[i]!.table;
      let j = i;
      while (j < batch.length && batch[j]!.table === table) {
        j++;
      }
      const t = this.tables.get(table) ?? (this.inputs.length === 1 ? this.inputs[0] : undefined);
      if (t === undefined) {
        throw new JobError("HTTP_TABLE_UNKNOWN", `${this.label}: a row of table ${table}, which is not an input`);
      }
      const bodies = this.maker.bodies(
        batch.slice(i, j).map((r) => r.fields),
        t,
      );
      for (const body of bodies) {
        await this.post(body);
      }
      i = j;
    }
  }

  private async post(body: string): Promise<void> {
    const r: Request = { url: this.o.url, params: this.o.params ?? {}, body };
    let reply: Awaited<ReturnType<typeof send>>;
    try {
      reply = await send(this.o, r, this.label, this.log);
    } catch (e) {
      throw e instanceof Unreachable ? requestError(this.o, r, this.label, e) : e;
    }
    if (!okStatus(reply.status)) {
      throw requestError(this.o, r, this.label, reply);
    }
    const refused = this.maker.refused?.(reply.text);
    if (refused !== undefined) {
      throw new JobError("HTTP_REQUEST_FAILED", `${this.label}: url: POST ${shownUrl(this.o.url)}: ${refused}`);
    }
  }

  close(): void {}
}
