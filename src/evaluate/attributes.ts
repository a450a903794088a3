/** Template attributes (`"@units": "mm"`) → planned attributes; problems are reported, the rest kept. */
import { toDiagnostic } from '../errors.js';
import type { LayoutAttribute } from '../layout/models.js';
import { at, withDocument, type EvalEnv } from './env.js';
import type { PlannedAttribute } from './models.js';
import { isTemplateText, renderText } from './text.js';
import { isOptionalSpec, missingSeverity, resolveInline } from './value-spec.js';
import { safeNodeName } from './names.js';

export function planAttributes(attrs: readonly LayoutAttribute[], env: EvalEnv): PlannedAttribute[] {
  const out: PlannedAttribute[] = [];
  for (const a of attrs) {
    const here = at(env, { pointer: a.pointer });
    try {
      const name = safeNodeName(isTemplateText(a.name) ? renderText(a.name, here.context) : a.name);
      const r = resolveInline(a.value, here);
      const planned: PlannedAttribute = { name, dtype: r.dtype, shape: r.shape, data: r.data };
      const i = out.findIndex((x) => x.name === name);
      if (i >= 0) out[i] = planned;
      else out.push(planned);
    } catch (e) {
      const d = toDiagnostic(e);
      const optional = isOptionalSpec(a.value) && a.value.kind === 'projection' ? a.value.projection.optional : false;
      const severity = optional && d.code !== 'INTERNAL' ? missingSeverity(optional) : 'error';
      here.diagnostics.push({ ...d, severity, location: withDocument({ ...here.at, ...d.location }) });
    }
  }
  return out;
}
