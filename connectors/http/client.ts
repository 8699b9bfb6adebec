/**
 * One HTTP request as SeaTunnel's HttpClientProvider sends it, with fetch: GET puts `params` in
 * the query; POST sends them as a form, else `body` as application/json (with both, the params go
 * in the query unless keep_params_as_form); PUT and DELETE as POST. A request that cannot reach the
 * server is tried `retry` times with Fibonacci backoff (retry_backoff_multiplier_ms, at most
 * retry_backoff_max_ms), each failed attempt logged with its number, as SeaTunnel's retryer does.
 */
import { JobError, type Logger, redactUrl } from "../../src/api/index.ts";
import type { RequestOptions } from "./options.ts";

export interface Reply {
  status: number;
  text: string;
}

/** The request's parts after paging put its page number in. */
export interface Request {
  url: string;
  params: Record<string, string>;
  body: string | undefined;
  /** Query parameters besides `params` (a page number kept out of a POST's form). */
  query?: Record<string, string>;
}

/** A failure to reach the server or to read its reply (fetch's TypeError, a timeout). */
export class Unreachable extends Error {}

/** A URL with its user's password as `***`. */
export const shownUrl = redactUrl;

function withQuery(url: string, params: Record<string, string>): string {
  const keys = Object.keys(params);
  if (keys.length === 0) {
    return url;
  }
  const u = new URL(url);
  for (const k of keys) {
    u.searchParams.set(k, params[k]!);
  }
  return u.toString();
}

/** The fetch init and URL of a request. */
export function buildRequest(o: RequestOptions, r: Request): { url: string; init: RequestInit } {
  const headers = new Headers(o.headers ?? {});
  const hasParams = Object.keys(r.params).length > 0;
  let url = withQuery(r.url, r.query ?? {});
  if (o.method === "GET") {
    return { url: withQuery(url, r.params), init: { method: "GET", headers } };
  }
  let body: string;
  if (hasParams && (r.body === undefined || o.keep_params_as_form)) {
    body = new URLSearchParams(r.params).toString();
    headers.set("content-type", "application/x-www-form-urlencoded; charset=UTF-8");
  } else {
    url = withQuery(url, r.params);
    body = r.body ?? "";
    headers.set("content-type", "application/json");
  }
  return { url, init: { method: o.method, headers, body } };
}

const fibonacci = (n: number): number => {
  let [a, b] = [1, 1];
  for (let i = 1; i < n; i++) {
    [a, b] = [b, a + b];
  }
  return a;
};

/** Backoff before attempt `attempt + 1` (Guava's fibonacciWait). */
export function backoffMs(o: RequestOptions, attempt: number): number {
  return Math.min(o.retry_backoff_multiplier_ms * fibonacci(attempt), o.retry_backoff_max_ms);
}

/** Sends once: the reply, or Unreachable. */
export async function sendOnce(o: RequestOptions, r: Request): Promise<Reply> {
  const { url, init } = buildRequest(o, r);
  try {
    const res = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(o.connect_timeout_ms + o.socket_timeout_ms),
      redirect: "follow",
    });
    return { status: res.status, text: await res.text() };
  } catch (e) {
    const why = (e as Error).name === "TimeoutError" ? "no reply in time" : (e as Error).message;
    throw new Unreachable(why, { cause: e });
  }
}

/** Sends with SeaTunnel's retries of unreachable servers; Unreachable once they are spent. */
export async function send(o: RequestOptions, r: Request, label: string, log: Logger): Promise<Reply> {
  const attempts = Math.max(1, o.retry ?? 0);
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendOnce(o, r);
    } catch (e) {
      if (!(e instanceof Unreachable) || attempt >= attempts) {
        throw e;
      }
      const wait = backoffMs(o, attempt);
      log.warn(
        `${label}: [${attempt}] request ${o.method} ${shownUrl(r.url)} failed (${e.message}); next attempt in ${wait} ms`,
      );
      await Bun.sleep(wait);
    }
  }
}

export const okStatus = (s: number): boolean => s >= 200 && s <= 207;

/** The one-line error of a reply that is not 2xx, or of a server never reached. */
export function requestError(o: RequestOptions, r: Request, label: string, e: Reply | Unreachable): JobError {
  const what = `${o.method} ${shownUrl(r.url)}`;
  if (e instanceof Unreachable) {
    const tries = (o.retry ?? 0) > 1 ? ` after ${o.retry} attempts (retry)` : " (set `retry` to try again)";
    return new JobError("HTTP_REQUEST_FAILED", `${label}: url: ${what} failed${tries}: ${e.message}`, { cause: e });
  }
  const text = e.text.replace(/\s+/g, " ").trim();
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  const hint =
    e.status === 401 || e.status === 403 ? ` (check the credentials in ${o.credentials ?? "`headers`"})` : "";
  return new JobError(
    "HTTP_REQUEST_FAILED",
    `${label}: url: ${what} answered HTTP ${e.status}${hint}${shown ? `: ${shown}` : ""}`,
  );
}
