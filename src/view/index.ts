/** view/: `nxlayout view`, a local web server showing NeXus files in H5Web. */
export type * from './models.js';
export { startViewServer, DEFAULT_ASSETS_DIR } from './server.js';
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './csp.js';
export { route, isLocalHost, viewerHref, fileHref, ASSETS } from './routes.js';
