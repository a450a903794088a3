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
import { diagnostic, type Diagnostic } from '../errors.js';
import type {
  AdAttribute,
  AdDataset,
  AdGroup,
  AdHardlink,
  AdLayout,
  ImportOptions,
  ImportResult,
  NdAttribute,
} from './models.js';
import { legacyPlots, legacySkip, type GroupPlot } from './legacy-plot.js';
import { ndAttributeDtype } from './nd-attributes.js';

type Json = Record<string, unknown>;

const NX_CLASS = /^NX[a-z0-9_]+$/;

interface Ctx {
  readonly stream: string;
  readonly detectorField: string;
  readonly prefix: string;
  readonly file: string;
  readonly nd: ReadonlyMap<string, NdAttribute> | undefined;
  /** HDF5 path → what the layout puts there. */
  readonly paths: ReadonlyMap<string, AdGroup | AdDataset | AdHardlink>;
  /** Group path → what the legacy `signal="1"` / `axes` attributes of its datasets say it plots. */
  readonly plots: ReadonlyMap<string, GroupPlot>;
  readonly diagnostics: Diagnostic[];
}

function note(ctx: Ctx, severity: 'error' | 'warning' | 'info', line: number, message: string, hint?: string): void {
  ctx.diagnostics.push(diagnostic('IMPORT_LAYOUT', severity, message, { file: ctx.file, line }, hint));
}

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

/** A constant's value of its declared type: `int`/`float` lists are comma-separated. */
function constant(ctx: Ctx, type: AdAttribute['type'], text: string, line: number, what: string): unknown {
  if (type === 'string') return text;
  const parts = text.split(',').map((s) => s.trim());
  const numbers = parts.map(Number);
  const bad = parts.find(
    (s, i) => s === '' || !Number.isFinite(numbers[i]) || (type === 'int' && !Number.isInteger(numbers[i])),
  );
  if (bad !== undefined) {
    note(
      ctx,
      'error',
      line,
      `${what}: ${JSON.stringify(text)} is not a list of ${type === 'int' ? 'integers' : 'numbers'}`,
      'fix the value or its type',
    );
    return text;
  }
  return numbers.length === 1 ? numbers[0] : numbers;
}

function dtypeOf(type: AdAttribute['type']): string | undefined {
  return type === 'int' ? 'int32' : type === 'float' ? 'float64' : undefined;
}

function readingIndex(when: string | undefined): Json {
  if (when === 'OnFileOpen') return { index: 'first' };
  if (when === 'OnFileClose') return { index: 'last' };
  return {};
}

const ndField = (ctx: Ctx, name: string): string => `${ctx.prefix}${name}`;

function lookupNd(ctx: Ctx, name: string, line: number): NdAttribute | undefined {
  if (ctx.nd === undefined) return undefined;
  const found = ctx.nd.get(name);
  if (found === undefined)
    note(
      ctx,
      'warning',
      line,
      `NDAttribute ${JSON.stringify(name)} is not in the attributes file`,
      'the run must still have the event field; check the name',
    );
  return found;
}

function attributeValue(ctx: Ctx, a: AdAttribute, onDataset: AdDataset | undefined): unknown {
  if (a.source === 'constant') {
    const value = constant(ctx, a.type, a.value, a.line, `attribute ${a.name}`);
    const dtype = dtypeOf(a.type);
    if (dtype === undefined && !(typeof value === 'string' && value.includes('{{'))) return value;
    return { type: 'static', value, ...(dtype === undefined ? {} : { dtype }) };
  }
  const name = a.ndattribute || a.name;
  const nd = lookupNd(ctx, name, a.line);
  const dtype = nd === undefined ? undefined : ndAttributeDtype(nd);
  // An attribute holds one value: the reading when the file is opened, or closed.
  const when = a.when ?? (onDataset?.when === 'OnFileClose' ? 'OnFileClose' : 'OnFileOpen');
  return {
    type: 'linked',
    location: 'event',
    stream: ctx.stream,
    field: ndField(ctx, name),
    ...readingIndex(when),
    optional: true,
    ...(dtype === undefined ? {} : { dtype }),
  };
}

function attributes(ctx: Ctx, list: readonly AdAttribute[], skip: ReadonlySet<string>, dataset?: AdDataset): Json {
  const out: Json = {};
  for (const a of list) {
    if (skip.has(a.name)) continue;
    if (Object.hasOwn(out, `@${a.name}`))
      note(ctx, 'warning', a.line, `attribute ${a.name} is given twice: the last one is kept`);
    out[`@${a.name}`] = attributeValue(ctx, a, dataset);
  }
  return out;
}

/** NDFileHDF5 labels each NDAttribute dataset with these; so does the template when the attributes file says them. */
function ndLabels(nd: NdAttribute | undefined): Json {
  if (nd === undefined) return {};
  return {
    '@NDAttrName': nd.name,
    ...(nd.description === undefined ? {} : { '@NDAttrDescription': nd.description }),
    '@NDAttrSourceType': `NDAttrSource${nd.type === 'EPICS_PV' ? 'EPICS' : nd.type === 'PARAM' ? 'Driver' : nd.type === 'FUNCTION' ? 'Funct' : nd.type}`,
    '@NDAttrSource': nd.source,
  };
}

function ndDataset(ctx: Ctx, d: { name: string; ndattribute: string; when?: string; line: number }, extra: Json): Json {
  const name = d.ndattribute || d.name;
  const nd = lookupNd(ctx, name, d.line);
  const dtype = nd === undefined ? undefined : ndAttributeDtype(nd);
  const egu = ctx.nd?.get(`${name}_EGU`);
  return {
    type: 'linked',
    location: 'event',
    stream: ctx.stream,
    field: ndField(ctx, name),
    ...readingIndex(d.when),
    optional: true,
    ...(dtype === undefined ? {} : { dtype }),
    ...ndLabels(nd),
    ...(egu === undefined || Object.hasOwn(extra, '@units')
      ? {}
      : {
          '@units': {
            type: 'linked',
            location: 'event',
            stream: ctx.stream,
            field: ndField(ctx, egu.name),
            index: 'first',
            optional: true,
          },
        }),
    ...extra,
  };
}

function dataset(ctx: Ctx, d: AdDataset): unknown {
  switch (d.source) {
    case 'detector': {
      const out: Json = { type: 'linked', location: 'event', stream: ctx.stream, field: ctx.detectorField };
      if (d.attributes.length > 0)
        out.$comment = `the layout's attributes of this dataset (${d.attributes.map((a) => a.name).join(', ')}) are in the detector's own file: this is an external link to it`;
      return out;
    }
    case 'ndattribute':
      return ndDataset(ctx, d, attributes(ctx, d.attributes, legacySkip(d), d));
    case 'constant': {
      const value = constant(ctx, d.type, d.value, d.line, `dataset ${d.name}`);
      const attrs = attributes(ctx, d.attributes, legacySkip(d), d);
      const dtype = dtypeOf(d.type);
      if (
        Object.keys(attrs).length === 0 &&
        dtype === undefined &&
        !(typeof value === 'string' && value.includes('{{'))
      )
        return value;
      return { value, ...(dtype === undefined ? {} : { dtype }), ...attrs };
    }
  }
}

function hardlink(ctx: Ctx, h: AdHardlink): Json {
  const target = ctx.paths.get(h.target);
  if (target === undefined) {
    note(
      ctx,
      'warning',
      h.line,
      `hardlink ${h.name}: the layout has nothing at ${h.target}`,
      'the link is optional in the template: it is left out when the target is missing',
    );
    return { link: h.target, link_type: 'hard', optional: true };
  }
  if (target.kind === 'dataset' && target.source === 'detector') {
    return {
      link: h.target,
      $comment:
        'soft, not hard: the detector data is an external link, and an HDF5 hard link cannot reach into another file',
    };
  }
  const optional = target.kind === 'dataset' && target.source === 'ndattribute';
  return { link: h.target, link_type: 'hard', ...(optional ? { optional: true } : {}) };
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
