/**
 * Memory layout of one WebAssembly line-scan instance (one reader, see line-scan-wasm.ts): the
 * block at 0 (up to BLOCK_BYTES), then the byte tables the field code reads (line-scan-fields.ts),
 * the scan state (w, r0, k: see LineScan) and the line ends. Loads of 16 bytes may reach past the
 * block, into the tables that follow it.
 */

export const BLOCK_BYTES = 1 << 20;
/** Days per month, 1-12 (February 29). */
export const DAYS_AT = BLOCK_BYTES;
/** 1 for the bytes a string may not start or end with. */
export const EDGE_AT = DAYS_AT + 16;
/** 1 for the bytes that end a string, 2 for those it may not hold. */
export const STOP_AT = EDGE_AT + 256;
export const STATE_AT = STOP_AT + 256;
export const STARTS_AT = STATE_AT + 16;
export const MAX_STARTS = BLOCK_BYTES / 2 + 16;
export const PAGES = Math.ceil((STARTS_AT + 4 * MAX_STARTS) / (1 << 16));
