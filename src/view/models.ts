/** `nxlayout view`: what it serves and how it is started. */

export interface ViewOptions {
  /** An HDF5 file or a directory of them. */
  target: string;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Where the bundled page is (default: dist/src/view/assets beside this module). */
  assetsDir?: string;
}

export interface ViewServer {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  /** The page of the target: the run list of a directory, the viewer of a file. */
  readonly startUrl: string;
  close(): Promise<void>;
}

/** What a request path names. */
export type Route =
  | { kind: 'index' }
  | { kind: 'viewer' }
  | { kind: 'asset'; name: string }
  | { kind: 'file'; relative: string }
  | { kind: 'list' }
  /** The browser's favicon request: answered 204, so it is not an error in the console. */
  | { kind: 'icon' }
  | { kind: 'not-found' };
