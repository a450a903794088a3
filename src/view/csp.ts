/**
 * The headers every response of `nxlayout view` carries. The Content-Security-Policy
 * keeps the page to the local server: scripts, styles, fetches and images from
 * 'self' only; H5Web's worker comes from a blob: URL the bundle makes, and h5wasm
 * needs 'wasm-unsafe-eval' to compile its WebAssembly. No CDN, no font service.
 * 'unsafe-eval' is there because ndarray (H5Web's arrays) builds its classes with
 * `new Function`: it runs code the bundle itself generates, it fetches nothing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  // React and H5Web set style attributes; inline styles fetch nothing.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
