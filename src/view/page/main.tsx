/**
 * The page `nxlayout view` serves: H5Web's App over the h5wasm provider, on a
 * file fetched from the local server (`/files/<path>`, the path given as
 * `?file=`). Bundled by scripts/bundle-view.mjs (esbuild), not by tsc.
 */
import '@h5web/app/styles.css';
import './page.css';
import { App } from '@h5web/app';
import { H5WasmBufferProvider } from '@h5web/h5wasm';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

type Loaded = { state: 'loading' } | { state: 'ready'; buffer: ArrayBuffer } | { state: 'error'; message: string };

/** `a/b c.nxs` → `/files/a/b%20c.nxs`: each segment encoded, the slashes kept. */
function fileUrl(file: string): string {
  return '/files/' + file.split('/').map(encodeURIComponent).join('/');
}

function Viewer({ file }: { file: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    fetch(fileUrl(file))
      .then(async (r) => {
        if (!r.ok) throw new Error(`${r.status} ${r.statusText}: ${(await r.text()).slice(0, 300)}`);
        return r.arrayBuffer();
      })
      .then(
        (buffer) => live && setLoaded({ state: 'ready', buffer }),
        (e: unknown) => live && setLoaded({ state: 'error', message: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      live = false;
    };
  }, [file]);
  if (loaded.state === 'loading') return <p className="nxl-message">Loading {file}…</p>;
  if (loaded.state === 'error') return <p className="nxl-message nxl-error" role="alert">Cannot load {file}: {loaded.message}</p>;
  return (
    <H5WasmBufferProvider filename={file.split('/').pop() ?? file} buffer={loaded.buffer}>
      <App />
    </H5WasmBufferProvider>
  );
}

function Page() {
  const file = new URLSearchParams(location.search).get('file');
  return (
    <div className="nxl-page">
      <header className="nxl-header">
        <a href="/">nxlayout view</a>
        {file !== null && <span className="nxl-file">{file}</span>}
      </header>
      <main className="nxl-main">{file === null ? <p className="nxl-message">No file chosen: open one from <a href="/">the list</a>.</p> : <Viewer file={file} />}</main>
    </div>
  );
}

const root = document.getElementById('root');
if (root !== null) createRoot(root).render(<StrictMode><Page /></StrictMode>);
