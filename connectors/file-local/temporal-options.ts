/** date_format / datetime_format / time_format checked at plan time: SeaTunnel's `Illegal format [x]`. */
import { ConfigError } from "../../src/api/index.ts";
import { checkFormat, DATE_FORMATS, DATETIME_FORMATS, TIME_FORMATS, tokenize } from "../file-common/temporal.ts";

export function checkTemporalOptions(
  o: { date_format: string; datetime_format: string; time_format: string },
  label: string,
): void {
  const check = (key: string, value: string, allowed: readonly string[]) => {
    try {
      checkFormat(value, allowed);
      tokenize(value);
    } catch (e) {
      throw new ConfigError("CONFIG_OPTION_INVALID", `${label}: option "${key}": ${(e as Error).message}`);
    }
  };
  check("date_format", o.date_format, DATE_FORMATS);
  check("datetime_format", o.datetime_format, DATETIME_FORMATS);
  check("time_format", o.time_format, TIME_FORMATS);
}
