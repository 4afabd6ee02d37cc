/**
 * Names of the temporary tables one source file uses while it is imported. Each file of a folder
 * import has its own, because all files are read and checked before any of them is written.
 */
export interface StagingNames {
  /** The file's rows as text, DuckDB-parsed. */
  readonly raw: string;
  /** Line-oriented formats: the rows after splitting lines. */
  readonly data: string;
  /** View over raw/data with _row and _line. */
  readonly src: string;
  /** Typed canonical columns plus _err (see build-frame.ts). */
  readonly frame: string;
  /** Lines DuckDB could not parse. */
  readonly rejects: string;
}

export function stagingNames(index: number): StagingNames {
  return {
    raw: `ss_raw_${index}`,
    data: `ss_data_${index}`,
    src: `ss_src_${index}`,
    frame: `ss_frame_${index}`,
    rejects: `ss_parse_rejects_${index}`,
  };
}
