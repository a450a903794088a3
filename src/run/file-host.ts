/**
 * What the run model asks of a file system: whether an external file exists,
 * and the text of a databroker-pack `catalog.yml` beside a log. The core has
 * none (a browser): every file is unseen. The Node shell installs the real one
 * (file-host-node.ts, loaded by run/index.ts, convert/convert-logs.ts and src/node.ts).
 */
export interface FileHost {
  exists(path: string): boolean;
  /** The file's UTF-8 text, or undefined when it cannot be read. */
  readText(path: string): string | undefined;
}

const NO_FILES: FileHost = { exists: () => false, readText: () => undefined };

let host: FileHost = NO_FILES;

export function fileHost(): FileHost {
  return host;
}

/** Installs the file system the run model reads (once, at start-up). */
export function setFileHost(next: FileHost): void {
  host = next;
}
