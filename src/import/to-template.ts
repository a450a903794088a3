/**
 * An areaDetector layout → a JSON layout template with the same tree:
 * - a group → `name:NXclass` (its NX_class attribute, else NXcollection);
 * - a `detector` dataset → the detector's image field of the stream, which
 *   nxlayout writes as an external link to the file the detector wrote;
 * - an `ndattribute` dataset → that NDAttribute's event field (the whole column
 *   as written per frame; OnFileOpen/OnFileClose → the first/last reading);
 * - a `constant` dataset or attribute → a static value of its type;
 * - a hardlink → a hard link (soft when its target is the detector data: an
 *   HDF5 hard link cannot reach into another file).
 */
import type { AdDataset, AdGroup, AdHardlink, AdLayout, ImportOptions, ImportResult, NdAttribute } from './models.js';
import { legacyPlots } from './legacy-plot.js';
import { type Ctx, type Json, note } from './template-context.js';
import { attributes, dataset, hardlink, ndDataset } from './template-values.js';

const NX_CLASS = /^NX[a-z0-9_]+$/;

function collectPaths(
  children: AdGroup['children'],
  parent: string,
  out: Map<string, AdGroup | AdDataset | AdHardlink>,
): void {
  for (const child of children) {
    const p = `${parent}/${child.name}`;
    out.set(p, child);
    if (child.kind === 'group') collectPaths(child.children, p, out);
  }
}

function usedNdAttributes(layout: AdLayout): Set<string> {
  const used = new Set<string>();
  const walk = (children: AdGroup['children']): void => {
    for (const c of children) {
      if (c.kind === 'group') walk(c.children);
      else if (c.kind === 'dataset' && c.source === 'ndattribute') used.add(c.ndattribute || c.name);
    }
  };
  for (const g of layout.groups) walk(g.children);
  return used;
}

function checkName(ctx: Ctx, name: string, line: number, body: Json): boolean {
  if (name === '' || name.includes('/') || /^[@$]/.test(name) || name.includes('{{') || /:NX[a-z0-9_]+$/.test(name)) {
    note(
      ctx,
      'error',
      line,
      `the name ${JSON.stringify(name)} cannot be used in a template`,
      'HDF5 names may not contain "/"; template names may not start with @ or $, contain {{ or end in :NXclass',
    );
    return false;
  }
  const bare = (k: string) => k.replace(/:NX[a-z0-9_]+$/, '');
  if (Object.keys(body).some((k) => !k.startsWith('@') && !k.startsWith('$') && bare(k) === name)) {
    note(
      ctx,
      'error',
      line,
      `${JSON.stringify(name)} appears twice in one group`,
      'HDF5 names are unique within a group',
    );
    return false;
  }
  return true;
}

function group(ctx: Ctx, g: AdGroup, unused: readonly NdAttribute[], at: string): [string, Json] {
  const nxAttr = g.attributes.find((a) => a.name === 'NX_class' && a.source === 'constant');
  let nxClass = 'NXcollection';
  if (nxAttr !== undefined) {
    if (NX_CLASS.test(nxAttr.value)) nxClass = nxAttr.value;
    else
      note(
        ctx,
        'warning',
        nxAttr.line,
        `NX_class ${JSON.stringify(nxAttr.value)} of group ${g.name} is not a NeXus class name: NXcollection is used`,
      );
  }
  const body: Json = attributes(ctx, g.attributes, new Set(['NX_class']));
  const plot = ctx.plots.get(at);
  if (plot !== undefined && !Object.hasOwn(body, '@signal')) {
    body['@signal'] = plot.signal;
    if (plot.axes !== undefined && !Object.hasOwn(body, '@axes')) body['@axes'] = plot.axes;
    note(
      ctx,
      'info',
      plot.line,
      `the legacy signal="1"${plot.axes === undefined ? '' : ' and axes'} of ${plot.signal} became @signal${plot.axes === undefined ? '' : '/@axes'} of group ${at}`,
    );
  }
  for (const child of g.children) {
    if (!checkName(ctx, child.name, child.line, body)) continue;
    if (child.kind === 'group') {
      const [k, v] = group(ctx, child, unused, `${at}/${child.name}`);
      body[k] = v;
    } else {
      body[child.name] = child.kind === 'hardlink' ? hardlink(ctx, child) : dataset(ctx, child);
    }
  }
  if (g.ndattrDefault) {
    if (ctx.nd === undefined)
      body.$comment =
        'areaDetector puts here every NDAttribute the layout does not place elsewhere: import with --attributes to list them';
    for (const nd of unused) {
      if (Object.hasOwn(body, nd.name)) continue;
      body[nd.name] = ndDataset(ctx, { name: nd.name, ndattribute: nd.name, line: g.line }, {});
    }
  }
  return [`${g.name}:${nxClass}`, body];
}

function templateName(options: ImportOptions): string {
  if (options.name !== undefined) return options.name;
  const base = (options.sourcePath ?? 'layout').split(/[\\/]/).pop() ?? 'layout';
  return `ad-${base.replace(/\.xml$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-')}`;
}

export function layoutToTemplate(layout: AdLayout, options: ImportOptions = {}): ImportResult {
  const paths = new Map<string, AdGroup | AdDataset | AdHardlink>();
  collectPaths(layout.groups, '', paths);
  const ctx: Ctx = {
    stream: options.stream ?? 'primary',
    detectorField: options.detectorField ?? 'image',
    prefix: options.fieldPrefix ?? '',
    file: options.sourcePath ?? '<layout>',
    nd: options.ndAttributes === undefined ? undefined : new Map(options.ndAttributes.map((a) => [a.name, a])),
    paths,
    plots: legacyPlots(layout.groups, paths),
    diagnostics: [],
  };
  const used = usedNdAttributes(layout);
  const unused = (options.ndAttributes ?? []).filter((a) => !used.has(a.name));
  const tree: Json = {};
  for (const g of layout.groups) {
    if (!checkName(ctx, g.name, g.line, tree)) continue;
    const [k, v] = group(ctx, g, unused, `/${g.name}`);
    tree[k] = v;
  }
  const source =
    options.sourcePath === undefined
      ? 'an areaDetector NDFileHDF5 layout'
      : `${options.sourcePath.split(/[\\/]/).pop()} (areaDetector NDFileHDF5 layout)`;
  const destination =
    layout.dataDestination === undefined
      ? ''
      : ` The layout's detector_data_destination NDAttribute (${layout.dataDestination}) is not used: every detector dataset links to ${ctx.detectorField}.`;
  const template: Json = {
    name: templateName(options),
    version: '1.0.0',
    description: `Imported from ${source} by nxlayout import-layout: detector data → external links to the detector's files (event field ${ctx.detectorField} of stream ${ctx.stream}); NDAttributes → event fields of stream ${ctx.stream}${ctx.prefix ? ` prefixed ${ctx.prefix}` : ''}.${destination}`,
    file: '{{pad (default start.scan_id 0) 5}}_{{shortuid run.uid}}.h5',
    tree,
  };
  return { template, diagnostics: ctx.diagnostics };
}
