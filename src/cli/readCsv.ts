/**
 * A numeric CSV matrix for `sigprop svcca` (rows = inputs, columns = neurons), parsed strictly with
 * csv-parse: every row has the same number of fields, every field is a finite decimal number, and an
 * error names the line and column. The first row is a header only when none of its fields is a number
 * or a NaN/Inf token (so `NaN,1,2` is a bad data row, not a header). Delimiters: comma, semicolon or
 * tab; a file with none of them is read as whitespace-separated (numpy.savetxt's default).
 */
import { readFileSync } from "node:fs";
import { CsvError, parse } from "csv-parse/sync";
import { InputError } from "../theory/errors.js";
import { parseDecimal } from "../theory/spec.js";

const VALID = "a numeric CSV file (rows = inputs, columns = neurons; optional header row)";
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

export interface NumericCsv {
  rows: number[][];
  header: string[] | null;
}

/** `minRows`: the fewest data rows the caller can use (2 for SVCCA's centring, 1 for kernel inputs). */
export function readNumericCsv(flag: string, path: string, { minRows = 2 } = {}): NumericCsv {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new InputError(
      flag,
      path,
      VALID,
      `cannot read it (${(e as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  const delimited = /[,;\t]/.test(text);
  // whitespace-separated: one tab between the fields of each line (the only hand-written step)
  const source = delimited
    ? text
    : text
        .split(/\r?\n/)
        .map((l) => l.trim().split(/[ ]+/).join("\t"))
        .join("\n");
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(source, {
      delimiter: delimited ? [",", ";", "\t"] : "\t",
      trim: true,
      skip_empty_lines: true,
      comment: "#",
      bom: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines;
      throw new InputError(
        flag,
        path,
        VALID,
        `${line ? `line ${line}: ` : ""}${e.message.replace(/^Invalid Record Length: /, "")}`,
      );
    }
    throw e;
  }
  if (records.length === 0) throw new InputError(flag, path, VALID, "the file has no rows");
  const first = records[0].record;
  const isHeader = first.every((f) => f !== "" && !("value" in parseDecimal(f)) && !NON_FINITE.test(f));
  const data = isHeader ? records.slice(1) : records;
  const rows = data.map(({ record, info }) =>
    record.map((f, j) => {
      const where = `line ${info.lines}, column ${j + 1}`;
      if (f === "")
        throw new InputError(
          flag,
          path,
          VALID,
          `${where} is empty${j === record.length - 1 ? " (a trailing delimiter?)" : ""}`,
        );
      const d = parseDecimal(f);
      if ("problem" in d)
        throw new InputError(flag, path, VALID, `${where}: '${f}' is not a finite decimal number`);
      return d.value;
    }),
  );
  if (rows.length < minRows)
    throw new InputError(flag, path, VALID, `${rows.length} data row(s); at least ${minRows} are needed`);
  return { rows, header: isHeader ? first : null };
}
