/** A SeaTunnel-style numeric job id: milliseconds since 2020 shifted left, plus random low bits. */
export function newJobId(): string {
  const ms = BigInt(Date.now() - Date.UTC(2020, 0, 1));
  return ((ms << 22n) | BigInt(Math.floor(Math.random() * 4_194_304))).toString();
}
