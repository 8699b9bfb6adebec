/**
 * Http options as SeaTunnel 2.3.8's HttpConfig and HttpParameter read them (connector-http-base),
 * with the names newer SeaTunnel adds (keep_params_as_form, keep_page_param_as_http_param,
 * use_placeholder_replacement). Where SeaTunnel's own code loses a value this connector does what
 * its docs say: the sink's `params` are query parameters (SeaTunnel overwrites the headers with
 * them), and a sink request that fails fails the job (SeaTunnel logs it and drops the row).
 */
import * as v from "valibot";
import { opt, schemaOption } from "../../src/api/index.ts";

export const METHODS = ["GET", "POST", "PUT", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

/** SeaTunnel's PageInfo: the page number goes into `page_field` of the params (or a `${page_field}` placeholder). */
export interface Paging {
  page_field: string;
  total_page_size: number;
  batch_size: number;
  start_page_number: number;
  use_placeholder_replacement: boolean;
}

const intText = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\s*\d+\s*$/, "a whole number"))]),
  v.transform((x) => Number(x)),
  v.integer(),
);
const boolText = v.pipe(
  v.union([v.boolean(), v.picklist(["true", "false"])]),
  v.transform((x) => x === true || x === "true"),
);

const pagingSchema = v.pipe(
  v.strictObject(
    {
      page_field: v.optional(v.string(), "page"),
      total_page_size: v.optional(intText, 0),
      batch_size: v.optional(v.pipe(intText, v.minValue(1)), 100),
      start_page_number: v.optional(intText, 1),
      use_placeholder_replacement: v.optional(boolText, false),
    },
    "not a pageing option",
  ),
) as v.GenericSchema<unknown, Paging>;

/** What every request of the source and the sink reads (HttpParameter). */
export const requestOptions = {
  url: opt.string({ required: true, nonEmpty: true, doc: "Request URL", example: "http://127.0.0.1:8080/api/users" }),
  headers: opt.map({ doc: "Request headers" }),
  params: opt.map({
    doc: "Query parameters; for POST without `body` (or with keep_params_as_form) a form body, as SeaTunnel sends them",
  }),
  retry: opt.int({
    min: 0,
    doc: "Attempts for a request that cannot reach the server (connection refused, reset, timeout). A streaming source waits out an unreachable server or a 5xx/429 reply however long it lasts",
  }),
  retry_backoff_multiplier_ms: opt.int({
    default: 100,
    min: 0,
    doc: "Backoff between attempts: Fibonacci multiples of this many milliseconds",
  }),
  retry_backoff_max_ms: opt.int({ default: 10000, min: 0, doc: "Longest backoff between attempts, milliseconds" }),
  connect_timeout_ms: opt.int({ default: 12000, min: 1, doc: "Milliseconds to wait for the connection" }),
  socket_timeout_ms: opt.int({ default: 60000, min: 1, doc: "Milliseconds to wait for the reply" }),
};

export const sourceOptions = {
  ...requestOptions,
  method: opt.enum({ values: METHODS, default: "GET", doc: "Request method" }),
  body: opt.string({ doc: "Request body (sent as application/json)" }),
  format: opt.enum({
    values: ["json", "text"] as const,
    default: "text",
    doc: "json: the reply is read by `schema` (an array is one row per element). text: each reply (or line) is the string column `content`",
  }),
  schema: schemaOption({ required: false, doc: "Fields of the JSON rows (with format = json)" }),
  content_field: opt.string({
    doc: "A JsonPath whose result holds the rows, e.g. `$.store.book.*`",
  }),
  json_field: opt.map({
    doc: "Field name = JsonPath: each path gives one field's values, zipped into rows (all paths must find as many values)",
  }),
  pageing: opt.object({
    schema: pagingSchema,
    type: "object",
    expects: "{ page_field, total_page_size, batch_size, start_page_number, use_placeholder_replacement }",
    doc: "Pages: the page number goes into `page_field` of the params; reading stops after total_page_size pages, or (without it) at a page with fewer than batch_size rows",
  }),
  poll_interval_millis: opt.int({ min: 0, doc: "Streaming: milliseconds between two polls" }),
  enable_multi_lines: opt.bool({ default: false, doc: "Each line of the reply is read on its own" }),
  keep_params_as_form: opt.bool({
    default: false,
    doc: "POST: params go as a form body (application/x-www-form-urlencoded) even with `body` set",
  }),
  keep_page_param_as_http_param: opt.bool({
    default: false,
    doc: "The page number stays a query parameter of a POST instead of going into its body",
  }),
  date_format: opt.string({ default: "yyyy-MM-dd", doc: "Accepted for compatibility: JSON dates are ISO" }),
  datetime_format: opt.string({
    default: "yyyy-MM-dd HH:mm:ss",
    doc: "Accepted for compatibility: JSON timestamps are ISO (a 'T' or a space)",
  }),
  time_format: opt.string({ default: "HH:mm:ss", doc: "Accepted for compatibility: JSON times are ISO" }),
};

export const sinkOptions = {
  ...requestOptions,
  multi_table_sink_replica: opt.int({ default: 1, min: 1, doc: "Accepted for compatibility: one writer per subtask" }),
};

export interface RequestOptions {
  url: string;
  method: Method;
  headers?: Record<string, string> | undefined;
  params?: Record<string, string> | undefined;
  body?: string | undefined;
  retry?: number | undefined;
  retry_backoff_multiplier_ms: number;
  retry_backoff_max_ms: number;
  connect_timeout_ms: number;
  socket_timeout_ms: number;
  keep_params_as_form?: boolean | undefined;
  /** Where the job's credentials are, for the hint of a 401/403 (`headers`, or a connector's own options). */
  credentials?: string | undefined;
}
