/**
 * The one handlebars environment of nxlayout: layout/ parses template text with it (syntax),
 * validate/ walks what it parses (helper names, the file path's inputs), evaluate/ registers its
 * text helpers on it and renders. Our own instance: no global helper leaks in or out of a host
 * program that uses handlebars too.
 */
import * as HandlebarsModule from 'handlebars';

// handlebars is CommonJS: under ESM its API is the default export; tsconfig has no esModuleInterop
// (and createRequire would tie the core to node:module, which a browser bundle does not have).
const Handlebars = (HandlebarsModule as unknown as { default: typeof HandlebarsModule }).default;

export const handlebars: typeof HandlebarsModule = Handlebars.create();
export type { HelperDelegate, HelperOptions, TemplateDelegate } from 'handlebars';
