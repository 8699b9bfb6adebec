/** The connector API: the only module connectors import. */
export * from "./connector.ts";
export * from "./errors.ts";
export * from "./options.ts";
export * from "./row.ts";
export * from "./schema.ts";
export * from "./table.ts";
export * from "./types.ts";
export * from "./type-text.ts";
export * from "./placeholders.ts";
export * from "./convert.ts";
export * from "./multi-table.ts";
export { blockListOption, blockOption, type ParseResult, parseOptions } from "./parse-options.ts";
