/**
 * The leaves of an imported template: a layout's datasets, attributes and
 * hardlinks → template values (static values of their type, NDAttribute event
 * fields, the detector's external link, links).
 */
import type { AdAttribute, AdDataset, AdHardlink, NdAttribute } from './models.js';
import { legacySkip } from './legacy-plot.js';
import { ndAttributeDtype } from './nd-attributes.js';
import { type Ctx, type Json, note } from './template-context.js';

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

export function attributes(
  ctx: Ctx,
  list: readonly AdAttribute[],
  skip: ReadonlySet<string>,
  dataset?: AdDataset,
): Json {
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

export function ndDataset(
  ctx: Ctx,
  d: { name: string; ndattribute: string; when?: string; line: number },
  extra: Json,
): Json {
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

export function dataset(ctx: Ctx, d: AdDataset): unknown {
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

export function hardlink(ctx: Ctx, h: AdHardlink): Json {
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
