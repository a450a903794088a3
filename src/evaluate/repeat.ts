/** `$repeat`: one instance of a node per stream, per field of a stream, or per key of an object. */
import { NxlError } from '../errors.js';
import type { Repeat } from '../layout/models.js';
import { assertNever } from './assert-never.js';
import { getStream } from './columns.js';
import type { Bindings } from './context.js';
import { listHint, type EvalEnv } from './env.js';
import { isRecord, queryPath } from './lookup.js';
import { isTemplateText, renderText } from './text.js';

/** The bindings of each instance; a node without `$repeat` has one instance and binds nothing. */
export function expandRepeat(repeat: Repeat | undefined, env: EvalEnv): Bindings[] {
  if (repeat === undefined) return [{}];
  switch (repeat.over) {
    case 'streams':
      return [...env.run.streams.keys()].map((stream) => ({ stream }));
    case 'fields': {
      const name = isTemplateText(repeat.stream) ? renderText(repeat.stream, env.context) : repeat.stream;
      const stream = getStream(env, name);
      return Object.entries(stream.dataKeys).map(([field, data_key]) => ({ stream: stream.name, field, data_key }));
    }
    case 'keys': {
      const path = isTemplateText(repeat.path) ? renderText(repeat.path, env.context) : repeat.path;
      const found = queryPath(env.context, path);
      if (!found.found) {
        throw new NxlError(
          'EVAL_FIELD_MISSING',
          `$repeat over keys of ${path}: nothing there`,
          {},
          {
            hint: listHint('run context keys', Object.keys(env.context)),
          },
        );
      }
      const v = found.value;
      if (Array.isArray(v)) return v.map((value, i) => ({ key: String(i), value }));
      if (isRecord(v)) return Object.entries(v).map(([key, value]) => ({ key, value }));
      throw new NxlError(
        'EVAL_TYPE_MISMATCH',
        `$repeat over keys of ${path}: it is a ${typeof v}, not an object`,
        {},
        {
          hint: 'point `path` at an object or a list',
        },
      );
    }
    default:
      return assertNever(repeat, 'repeat');
  }
}
