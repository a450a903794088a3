/** view/: `nxlayout view`, a local web server showing NeXus files in H5Web. */
export type * from './models.js';
export { startViewServer } from './server.js';
export { CONTENT_SECURITY_POLICY } from './csp.js';
export { route } from './routes.js';
