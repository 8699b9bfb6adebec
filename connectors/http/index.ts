/**
 * Http source and sink under SeaTunnel's name and options (connector-http-base, 2.3.8): a web API's
 * replies as rows (JSON by a schema, paged, polled in streaming jobs), rows POSTed as JSON. The
 * connectors SeaTunnel builds on it (Github, Notion, Feishu, ...) are in services.ts.
 */
import { defineSink, defineSource } from "../../src/api/index.ts";
import { sinkOptions, sourceOptions } from "./options.ts";
import { createHttpSink, type HttpSinkOptions } from "./sink.ts";
import { createHttpSource, type HttpSourceOptions } from "./source.ts";

const PAGES = `env {
  job.mode = "BATCH"
}

source {
  Http {
    url = "http://127.0.0.1:8080/api/users"
    method = "GET"
    format = "json"
    content_field = "$.data.*"
    pageing = { page_field = page, batch_size = 100 }
    schema = { fields { id = bigint, name = string, created = timestamp } }
  }
}

sink {
  Console {}
}
`;

const WEBHOOK = `env {
  job.mode = "BATCH"
}

source {
  FakeSource {
    row.num = 3
    schema = { fields { id = bigint, name = string } }
  }
}

sink {
  Http {
    url = "http://127.0.0.1:8080/hooks/users"
    headers { token = "your-token" }
    retry = 3
  }
}
`;

export const httpSource = defineSource({
  name: "Http",
  doc: "Reads a web API: each reply (or each page of it) decoded by the schema as JSON rows, a part of it picked by content_field or json_field; without a schema each reply is the column `content`. Streaming jobs poll every poll_interval_millis.",
  options: sourceOptions,
  features: { batch: true, streaming: true, multiTable: false, parallel: false },
  examples: [{ title: "Every page of a JSON API until a page has fewer than 100 rows", conf: PAGES }],
  create: (o, ctx) => createHttpSource(o as unknown as HttpSourceOptions, ctx),
});

export const httpSink = defineSink({
  name: "Http",
  doc: "POSTs each row as a JSON object of its fields, one request per row, with `headers`; a reply other than 2xx fails the job.",
  options: sinkOptions,
  features: { batch: true, streaming: true, multiTable: true, parallel: true },
  examples: [{ title: "Rows to a webhook with a token header", conf: WEBHOOK }],
  create: (o, inputs, ctx) => createHttpSink(o as unknown as HttpSinkOptions, inputs, ctx.label),
});
