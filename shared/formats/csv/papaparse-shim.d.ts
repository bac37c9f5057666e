/**
 * Minimal typing of the part of papaparse we use. We import the plain `papaparse/papaparse.js`
 * path on purpose: `@types/papaparse` references Node's types, which would silently give shared/
 * Node globals and defeat the purity check of tsconfig.shared.json.
 */
declare module 'papaparse/papaparse.js' {
  export interface PapaError {
    type: string;
    code: string;
    message: string;
    row?: number;
  }
  export interface PapaParser {
    abort(): void;
  }
  export interface PapaStepResult {
    data: string[];
    errors: PapaError[];
    /** `cursor`: characters of the input read so far. */
    meta: { cursor: number };
  }
  export interface PapaConfig {
    delimiter: string;
    newline?: string;
    quoteChar?: string;
    escapeChar?: string;
    header?: false;
    dynamicTyping?: false;
    skipEmptyLines?: boolean;
    /** Parse at most this many rows. */
    preview?: number;
    step?: (results: PapaStepResult, parser: PapaParser) => void;
  }
  const Papa: {
    parse(input: string, config: PapaConfig): { data: string[][]; errors: PapaError[] };
  };
  export default Papa;
}
