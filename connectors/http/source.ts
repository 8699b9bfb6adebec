/**
 * The Http source (SeaTunnel's HttpSource and HttpSourceReader): one reader requests `url`, page
 * by page with `pageing`, and decodes each reply into rows (rows.ts). A batch job reads once (all
 * pages) and ends; a streaming job polls every poll_interval_millis, each poll from the last page
 * it read, as SeaTunnel does. Its position is the page: a restore reads from the page the last
 * checkpoint had not finished. A streaming poll that cannot reach the server, or is answered 5xx or
 * 429, is tried again with backoff (each attempt logged with its number) until the server answers:
 * the page is read then, none is skipped. Any other non-2xx reply fails the job.
 */
import {
  catalogTable,
  type Column,
  JobError,
  type Logger,
  type PluginContext,
  type Row,
  RowKind,
  type SchemaSpec,
  type Source,
  type SourceReader,
  T,
  type TableSchema,
} from "../../src/api/index.ts";
import {
  backoffMs,
  okStatus,
  type Reply,
  type Request,
  requestError,
  send,
  sendOnce,
  shownUrl,
  Unreachable,
} from "./client.ts";
import type { Paging, RequestOptions } from "./options.ts";
import { type Decode, decoder, type RowOptions } from "./rows.ts";

export interface HttpSourceOptions extends RequestOptions, RowOptions {
  schema?: SchemaSpec | undefined;
  pageing?: Paging | undefined;
  poll_interval_millis?: number | undefined;
  enable_multi_lines: boolean;
  keep_page_param_as_http_param?: boolean | undefined;
}

/** Something a connector built on Http does before its first request (a login): extra headers. */
export type Prepare = (o: HttpSourceOptions, log: Logger) => Promise<Record<string, string>>;

/** The one split: the next page to read (undefined without paging), and whether the read is over. */
interface PageSplit {
  page: number | undefined;
  done: boolean;
}

const CONTENT: Column = { name: "content", type: T.string, nullable: false };

export function createHttpSource(o: HttpSourceOptions, ctx: PluginContext, prepare?: Prepare): Source<PageSplit> {
  checkUrl(o.url, ctx.label);
  if (o.schema !== undefined && o.format === "text") {
    throw new JobError(
      "CONFIG_OPTION_INVALID",
      `${ctx.label}: format = text reads each reply as the column \`content\` and takes no schema: set format = "json" to read rows by the schema (SeaTunnel refuses it too: "http connector only support json format now")`,
    );
  }
  const table: TableSchema = o.schema
    ? catalogTable(o.schema, ctx.outputName)
    : catalogTable({ columns: [CONTENT] } as SchemaSpec, ctx.outputName);
  const decode = decoder(o, table, ctx.label);
  const streaming = ctx.jobMode === "STREAMING";
  const first: PageSplit = { page: o.pageing?.start_page_number, done: false };
  return {
    tables: [table],
    bounded: !streaming,
    splits: (parallelism) => Array.from({ length: parallelism }, (_, i) => (i === 0 ? [{ ...first }] : [])),
    reader: (rctx) => new HttpReader({ o, table, decode, label: ctx.label, log: rctx.log, streaming, prepare }),
  };
}

/** A url fetch cannot take fails the job before it runs, naming the option. */
export function checkUrl(url: string, label: string): void {
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {}
  if (u === undefined || (u.protocol !== "http:" && u.protocol !== "https:")) {
    throw new JobError("CONFIG_OPTION_INVALID", `${label}: url: "${shownUrl(url)}" is not an http:// or https:// URL`);
  }
}

interface ReaderSetup {
  o: HttpSourceOptions;
  table: TableSchema;
  decode: Decode;
  label: string;
  log: Logger;
  streaming: boolean;
  prepare: Prepare | undefined;
}

/** A streaming poll's failure worth waiting out: the server down, busy or overloaded. */
const transient = (r: Reply | Unreachable): boolean =>
  r instanceof Unreachable || r.status >= 500 || r.status === 429 || r.status === 408;

class HttpReader implements SourceReader<PageSplit> {
  private split: PageSplit | undefined;
  private headers: Record<string, string> | undefined;
  /** Streaming: when the next poll may start, and the failed attempts of the current request. */
  private nextAt = 0;
  private failures = 0;

  constructor(private readonly s: ReaderSetup) {}

  addSplits(splits: PageSplit[]): void {
    this.split = splits[0] ? { ...splits[0] } : this.split;
  }

  snapshot(): PageSplit[] {
    return this.split ? [{ ...this.split }] : [];
  }

  async poll(): Promise<Row[] | null> {
    const split = this.split;
    if (split === undefined || split.done) {
      return this.s.streaming ? [] : null;
    }
    const wait = this.nextAt - Date.now();
    if (wait > 0) {
      await Bun.sleep(Math.min(wait, 100));
      return [];
    }
    const { o } = this.s;
    if (this.headers === undefined) {
      this.headers = { ...(o.headers ?? {}), ...((await this.s.prepare?.(o, this.s.log)) ?? {}) };
    }
    const opts: RequestOptions = { ...o, headers: this.headers };
    const req = request(o, split.page);
    const where = `${o.method} ${shownUrl(req.url)}${split.page === undefined ? "" : ` (page ${split.page})`}`;
    const reply = await this.fetch(opts, req, where);
    if (reply === undefined) {
      return [];
    }
    const texts = o.enable_multi_lines ? reply.text.split(/\r?\n|\r/) : [reply.text];
    const rows: Row[] = [];
    let size = 0;
    for (const text of texts) {
      const d = this.s.decode(text, where);
      size += d.size;
      for (const fields of d.rows) {
        rows.push({ kind: RowKind.INSERT, table: this.s.table.id, fields });
      }
    }
    this.advance(split, reply, size);
    return rows;
  }

  /** The reply, or undefined when a streaming poll is to be tried again later. */
  private async fetch(opts: RequestOptions, req: Request, where: string): Promise<Reply | undefined> {
    const { label, log, streaming } = this.s;
    let reply: Reply | Unreachable;
    try {
      reply = streaming ? await sendOnce(opts, req) : await send(opts, req, label, log);
    } catch (e) {
      if (!(e instanceof Unreachable)) {
        throw e;
      }
      reply = e;
    }
    if (!(reply instanceof Unreachable) && okStatus(reply.status)) {
      if (this.failures > 0) {
        log.info(`${label}: ${where} answered again after ${this.failures} failed attempts`);
      }
      this.failures = 0;
      return reply;
    }
    if (!streaming || !transient(reply)) {
      throw requestError(opts, req, label, reply);
    }
    this.failures++;
    const delay = backoffMs(opts, this.failures);
    const why = reply instanceof Unreachable ? reply.message : `HTTP ${reply.status}`;
    log.warn(`${label}: [${this.failures}] request ${where} failed (${why}); polling again in ${delay} ms`);
    this.nextAt = Date.now() + delay;
    return undefined;
  }

  /** After a reply: the next page, or the end of this poll (a batch read ends, a stream waits). */
  private advance(split: PageSplit, reply: Reply, size: number): void {
    const paging = this.s.o.pageing;
    let last = true;
    if (paging !== undefined && split.page !== undefined) {
      last =
        reply.text.trim() === "" ||
        (paging.total_page_size > 0 ? split.page >= paging.total_page_size : size < paging.batch_size);
      if (!last) {
        split.page++;
      }
    }
    if (!last) {
      return;
    }
    if (this.s.streaming) {
      this.nextAt = Date.now() + (this.s.o.poll_interval_millis ?? 0);
    } else {
      split.done = true;
      this.s.log.info(`${this.s.label}: read ${split.page === undefined ? "the reply" : `to page ${split.page}`}`);
    }
  }
}

/** The request of a page: its number in the params (a POST's query with keep_page_param_as_http_param), or in `${page_field}` placeholders. */
function request(o: HttpSourceOptions, page: number | undefined): Request {
  const params = { ...(o.params ?? {}) };
  const r: Request = { url: o.url, params, body: o.body };
  const p = o.pageing;
  if (p === undefined || page === undefined) {
    return r;
  }
  const n = String(page);
  if (p.use_placeholder_replacement) {
    const mark = `\${${p.page_field}}`;
    const put = (s: string) => s.split(mark).join(n);
    r.url = put(r.url);
    r.body = r.body === undefined ? undefined : put(r.body);
    for (const k of Object.keys(params)) {
      params[k] = put(params[k]!);
    }
    return r;
  }
  if (o.method !== "GET" && o.keep_page_param_as_http_param) {
    r.query = { [p.page_field]: n };
  } else {
    params[p.page_field] = n;
  }
  return r;
}
