/** What the read-run and read-plot functions return: a run file's summary for `report` and `view`. */

/** A written run file's own account of its run, read without opening any external link. */
export interface RunFileInfo {
  /** The NXentry holding nxlayout's provenance, e.g. `/entry`. */
  entry: string;
  /** The provenance group's string datasets by name (start_document, stop_document, run_uid, template_name…). */
  provenance: Record<string, string>;
  /** `<entry>/title` as written by the template. */
  title?: string;
  /** `<entry>/sample/name`. */
  sampleName?: string;
}

/** A 1-D default plot, downsampled (min and max of each bucket, in order, so peaks survive). */
export interface LinePreview {
  kind: 'line';
  /** Path of the signal dataset, after soft links. */
  signal: string;
  /** Elements of the signal in the file. */
  length: number;
  /** The signal's values (null: NaN or infinite); `x` the axis values beside them when the NXdata names one. */
  y: (number | null)[];
  x?: (number | null)[];
  xName?: string;
}

/** The default plot of rank ≥ 2: its first 2-D slice (leading indices 0), block-averaged. */
export interface ImagePreview {
  kind: 'image';
  signal: string;
  /** Shape of the signal in the file. */
  shape: number[];
  rows: number;
  cols: number;
  /** rows × cols cell means, row-major (null: no finite value in the block). */
  values: (number | null)[];
}

/** The signal lives in another file (an external link, e.g. the detector's): not opened. */
export interface ExternalPreview {
  kind: 'external';
  signal: string;
  file: string;
}

export type PlotPreview = LinePreview | ImagePreview | ExternalPreview;
