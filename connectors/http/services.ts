/**
 * The connectors SeaTunnel 2.3.8 builds on Http (connector-http-*): an Http source or sink with its
 * own credential options turned into headers, as each one's *SourceParameter does. Sources: Github
 * (Bearer access_token), Gitlab (PRIVATE-TOKEN), Jira (Basic email:api_token), Klaviyo
 * (Klaviyo-API-Key and revision), Lemlist (Basic :password), MyHours (a login for a Bearer token),
 * Notion (Bearer password and Notion-Version), OneSignal (Basic password), Persistiq (x-api-key).
 * Sinks: Feishu (the Http sink) and WeChat (each row as a group bot's text message).
 */
import { defineSink, defineSource, JobError, opt, type Opt, type TableSchema } from "../../src/api/index.ts";
import { javaToString } from "../file-common/text-values.ts";
import { okStatus, requestError, send, Unreachable } from "./client.ts";
import { requestOptions, sinkOptions, sourceOptions } from "./options.ts";
import { type BodyMaker, createHttpSink, type HttpSinkOptions } from "./sink.ts";
import { createHttpSource, type HttpSourceOptions, type Prepare } from "./source.ts";

/** AuthorizationUtil.getTokenByBasicAuth: Basic and URL-safe base64 without padding. */
export const basicAuth = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64url")}`;

const secret = (doc: string) => opt.string({ required: true, secret: true, doc });

interface Service {
  name: string;
  doc: string;
  options: Record<string, Opt<unknown>>;
  /** Headers from the connector's own options (they win over `headers`, as in SeaTunnel). */
  headers?: (o: Record<string, unknown>) => Record<string, string>;
  prepare?: Prepare;
  /** The example's URL and credential lines. */
  example: string;
  /** Gitlab and Jira refuse streaming jobs. */
  batchOnly?: boolean;
}

const MYHOURS_LOGIN = "https://api2.myhours.com/api/tokens/login";

/** MyHours: POST the login, take `accessToken` from the reply. */
const myHoursLogin: Prepare = async (o, log) => {
  const x = o as HttpSourceOptions & { email: string; password: string };
  const login = { ...o, method: "POST" as const, headers: {}, params: {} };
  const body = JSON.stringify({ grantType: "password", email: x.email, password: x.password, clientId: "api" });
  const r = { url: MYHOURS_LOGIN, params: {}, body };
  let reply: Awaited<ReturnType<typeof send>>;
  try {
    reply = await send(login, r, "MyHours login", log);
  } catch (e) {
    throw e instanceof Unreachable ? requestError(login, r, "MyHours: login", e) : e;
  }
  if (!okStatus(reply.status)) {
    throw requestError(login, r, "MyHours: login (email, password)", reply);
  }
  let token: unknown;
  try {
    token = (JSON.parse(reply.text) as Record<string, unknown>).accessToken;
  } catch {}
  if (typeof token !== "string" || token === "") {
    throw new JobError(
      "MYHOURS_TOKEN_FAILED",
      `MyHours: the login reply has no accessToken: ${reply.text.slice(0, 120)}`,
    );
  }
  return { Authorization: `Bearer ${token}` };
};

const SERVICES: Service[] = [
  {
    name: "Github",
    example: 'url = "https://api.github.com/orgs/apache/repos"\n    access_token = "ghp_your_token"',
    doc: "Reads the GitHub REST API (an Http source sending `access_token` as a Bearer token)",
    options: { access_token: secret("GitHub access token, sent as `Authorization: Bearer …`") },
    headers: (o): Record<string, string> => (o.access_token ? { Authorization: `Bearer ${o.access_token}` } : {}),
  },
  {
    name: "Gitlab",
    example: 'url = "https://gitlab.com/api/v4/projects"\n    access_token = "glpat-your-token"',
    doc: "Reads the GitLab REST API (an Http source sending `access_token` as PRIVATE-TOKEN); batch jobs only",
    options: { access_token: secret("GitLab access token, sent as the PRIVATE-TOKEN header") },
    headers: (o) => ({ "PRIVATE-TOKEN": String(o.access_token) }),
    batchOnly: true,
  },
  {
    name: "Jira",
    example:
      'url = "https://example.atlassian.net/rest/api/3/search"\n    email = "admin@example.com"\n    api_token = "your-api-token"\n    content_field = "$.issues.*"',
    doc: "Reads the Jira REST API (an Http source with Basic auth of email and api_token); batch jobs only",
    options: {
      email: opt.string({ required: true, doc: "Jira account email" }),
      api_token: secret("Jira API token"),
    },
    headers: (o) => ({ Authorization: basicAuth(String(o.email), String(o.api_token)) }),
    batchOnly: true,
  },
  {
    name: "Klaviyo",
    example:
      'url = "https://a.klaviyo.com/api/lists/"\n    private_key = "pk_your_key"\n    revision = "2020-10-17"\n    content_field = "$.data.*"',
    doc: "Reads the Klaviyo API (an Http source sending the private key and the API revision)",
    options: {
      private_key: secret("Klaviyo private API key, sent as `Authorization: Klaviyo-API-Key …`"),
      revision: opt.string({ required: true, doc: "API revision date (YYYY-MM-DD), sent as the revision header" }),
    },
    headers: (o) => ({
      Accept: "application/json",
      Authorization: `Klaviyo-API-Key ${o.private_key}`,
      revision: String(o.revision),
    }),
  },
  {
    name: "Lemlist",
    example: 'url = "https://api.lemlist.com/api/campaigns"\n    password = "your-api-key"',
    doc: "Reads the Lemlist API (an Http source with Basic auth of the API key)",
    options: { password: secret("Lemlist API key (Basic auth with an empty user)") },
    headers: (o) => ({ Authorization: basicAuth("", String(o.password)) }),
  },
  {
    name: "MyHours",
    example:
      'url = "https://api2.myhours.com/api/Projects/getAll"\n    email = "me@example.com"\n    password = "your-password"',
    doc: "Reads the My Hours API: logs in with email and password for a token first, then an Http source with it",
    options: {
      email: opt.string({ required: true, doc: "My Hours login email" }),
      password: secret("My Hours login password"),
    },
    prepare: myHoursLogin,
  },
  {
    name: "Notion",
    example:
      'url = "https://api.notion.com/v1/users"\n    password = "secret_your_token"\n    version = "2022-06-28"\n    content_field = "$.results.*"',
    doc: "Reads the Notion API (an Http source sending the integration token and Notion-Version)",
    options: {
      password: secret("Notion integration token, sent as `Authorization: Bearer …`"),
      version: opt.string({ required: true, doc: "Notion API version (Notion-Version header)", example: "2022-06-28" }),
    },
    headers: (o) => ({ Authorization: `Bearer ${o.password}`, "Notion-Version": String(o.version) }),
  },
  {
    name: "OneSignal",
    example: 'url = "https://onesignal.com/api/v1/apps"\n    password = "your-rest-api-key"',
    doc: "Reads the OneSignal API (an Http source sending the auth key as Basic)",
    options: { password: secret("OneSignal auth key, sent as `Authorization: Basic …`") },
    headers: (o) => ({ "Content-Type": "application/json", Authorization: `Basic ${o.password}` }),
  },
  {
    name: "Persistiq",
    example:
      'url = "https://api.persistiq.com/v1/users"\n    password = "your-api-key"\n    content_field = "$.users.*"',
    doc: "Reads the Persistiq API (an Http source sending the API key as x-api-key)",
    options: { password: secret("Persistiq API key (x-api-key header)") },
    headers: (o) => ({ "x-api-key": String(o.password) }),
  },
];

const sourceExample = (s: Service): string => `env {
  job.mode = "BATCH"
}

source {
  ${s.name} {
    ${s.example}
    method = "GET"
    format = "json"
    schema = { fields { id = string, name = string } }
  }
}

sink {
  Console {}
}
`;

const sinkExample = (name: string, options: string): string => `env {
  job.mode = "BATCH"
}

source {
  FakeSource {
    row.num = 3
    schema = { fields { id = bigint, name = string } }
  }
}

sink {
  ${name} {
    ${options}
  }
}
`;

export const serviceSources = SERVICES.map((s) =>
  defineSource({
    name: s.name,
    doc: s.doc,
    options: { ...sourceOptions, ...s.options },
    features: { batch: true, streaming: !s.batchOnly, multiTable: false, parallel: false },
    examples: [{ title: `Rows of the ${s.name} API`, conf: sourceExample(s) }],
    create: (given, ctx) => {
      if (s.batchOnly && ctx.jobMode === "STREAMING") {
        throw new JobError(
          "CONFIG_OPTION_INVALID",
          `${ctx.label}: ${s.name} reads in batch jobs only (as in SeaTunnel)`,
        );
      }
      const o = given as unknown as HttpSourceOptions & Record<string, unknown>;
      const headers = { ...(o.headers ?? {}), ...(s.headers?.(o) ?? {}) };
      const credentials = Object.keys(s.options)
        .map((k) => `\`${k}\``)
        .join(" and ");
      return createHttpSource({ ...o, headers, credentials }, ctx, s.prepare);
    },
  }),
);

export const feishuSink = defineSink({
  name: "Feishu",
  doc: "POSTs each row as JSON to a Feishu (Lark) webhook: the Http sink under Feishu's name",
  options: sinkOptions,
  features: { batch: true, streaming: true, multiTable: true, parallel: true },
  examples: [
    {
      title: "Rows to a Feishu bot",
      conf: sinkExample("Feishu", 'url = "https://open.feishu.cn/open-apis/bot/v2/hook/your-hook-id"'),
    },
  ],
  create: (o, inputs, ctx) => createHttpSink(o as unknown as HttpSinkOptions, inputs, ctx.label),
});

/** WeChat's group bot text message of a row: `name: value` per field, joined by a backslash and n (as SeaTunnel writes it). */
function weChatBodies(o: { mentioned_list?: string[]; mentioned_mobile_list?: string[] }): BodyMaker {
  return {
    bodies(rows, t: TableSchema) {
      return rows.map((f) => {
        const content = t.columns
          .map((c, i) => `${c.name}: ${f[i] === null || f[i] === undefined ? "null" : javaToString(f[i], c.type)}`)
          .join("\\n");
        const text: Record<string, unknown> = { content };
        if (o.mentioned_list?.length) {
          text.mentioned_list = o.mentioned_list;
        }
        if (o.mentioned_mobile_list?.length) {
          text.mentioned_mobile_list = o.mentioned_mobile_list;
        }
        return JSON.stringify({ msgtype: "text", text });
      });
    },
    refused(text) {
      try {
        const r = JSON.parse(text) as { errcode?: number; errmsg?: string };
        return r.errcode ? `WeChat refused the message: errcode ${r.errcode}: ${r.errmsg ?? ""}` : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export const weChatSink = defineSink({
  name: "WeChat",
  doc: "Sends each row to a WeChat Work group bot webhook as a text message (`field: value` lines), mentioning users or mobiles",
  options: {
    ...requestOptions,
    mentioned_list: opt.list({ of: "string", doc: 'User ids to mention ("@all" for everyone)' }),
    mentioned_mobile_list: opt.list({ of: "string", doc: 'Mobile numbers to mention ("@all" for everyone)' }),
  },
  features: { batch: true, streaming: true, multiTable: true, parallel: true },
  examples: [
    {
      title: "Rows to a WeChat Work group, mentioning everyone",
      conf: sinkExample(
        "WeChat",
        'url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=your-bot-key"\n    mentioned_list = ["@all"]',
      ),
    },
  ],
  create: (o, inputs, ctx) =>
    createHttpSink(o as unknown as HttpSinkOptions, inputs, ctx.label, weChatBodies(o as never)),
});
