/**
 * SeaTunnel's config shading (`env.shade.identifier`): with `base64`, the sensitive options of
 * source and sink blocks (password, username, auth, token) are written base64-encoded. Used by
 * `seatunnel run --encrypt` and the REST API's `POST /encrypt-config`.
 */

const SENSITIVE = ["password", "username", "auth", "token"];

/**
 * The job config (plain JSON) with its sensitive options encoded; unchanged unless the identifier
 * (by default its env's `shade.identifier`) is base64.
 */
export function encodeSensitive(
  config: Record<string, unknown>,
  identifier = ((config.env ?? {}) as Record<string, unknown>)["shade.identifier"],
): Record<string, unknown> {
  if (identifier !== "base64") {
    return config;
  }
  const out = structuredClone(config);
  for (const section of ["source", "sink"]) {
    for (const block of (out[section] as Record<string, unknown>[] | undefined) ?? []) {
      for (const k of Object.keys(block)) {
        if (SENSITIVE.includes(k.toLowerCase()) && typeof block[k] === "string") {
          block[k] = Buffer.from(block[k] as string, "utf8").toString("base64");
        }
      }
    }
  }
  return out;
}
