/**
 * A tree against the base classes of its groups (NXentry, NXsample…): the
 * types and enumerations a class sets for the names it defines (warnings),
 * and, when asked, the names it does not define (info: NeXus allows names of
 * one's own, so these are a reading aid, not a fault). Nodes an application
 * definition governs are checked by it instead.
 */
import { diagnostic, type Diagnostic } from '../errors.js';
import type { NxdlDigest, NxdlField, NxdlGroup } from './models.js';
import { enumerationProblem, typeHint, typeProblem } from './nx-types.js';
import { bestMatch, classChain, groupSpecIn, OPEN_CLASSES } from './nxdl-names.js';
import type { ShapeNode } from './shape-tree.js';

function at(node: ShapeNode): { pointer?: string; nexusPath: string } {
  return { ...(node.pointer === undefined ? {} : { pointer: node.pointer }), nexusPath: node.path };
}

export interface BaseClassOptions {
  /** Report names a class does not define (info findings). */
  unknownNames?: boolean;
}

interface Ctx {
  readonly digest: NxdlDigest;
  readonly governed: ReadonlySet<string>;
  readonly unknownNames: boolean;
  readonly out: Diagnostic[];
}

function checkLeaf(node: ShapeNode, chain: readonly NxdlGroup[], className: string, ctx: Ctx): void {
  const { governed, out } = ctx;
  if (governed.has(node.path) && !ctx.unknownNames) return;
  const fields: NxdlField[] = chain.flatMap((c) => c.fields);
  const spec =
    bestMatch(fields, node.name) ??
    bestMatch(
      chain.flatMap((c) => c.links),
      node.name,
    );
  if (spec === undefined) {
    if (!ctx.unknownNames || governed.has(node.path)) return;
    out.push(
      diagnostic(
        'NXDL_UNKNOWN',
        'info',
        `${node.path}: ${className} defines no field "${node.name}"`,
        at(node),
        `a name of your own is allowed; if you meant a standard one, see the ${className} base class`,
      ),
    );
    return;
  }
  if (governed.has(node.path) || node.kind !== 'field' || !('attributes' in spec)) return;
  const type = typeProblem(spec.type, node);
  if (type !== undefined)
    out.push(diagnostic('NXDL_TYPE', 'warning', `${node.path} ${type} (${className})`, at(node), typeHint(spec.type)));
  const allowed = enumerationProblem(spec.enumeration, node);
  if (allowed !== undefined)
    out.push(
      diagnostic(
        'NXDL_ENUM',
        'warning',
        `${node.path}: ${allowed} (${className})`,
        at(node),
        `${spec.enumeration?.join(', ')}`,
      ),
    );
}

function checkGroup(node: ShapeNode, ctx: Ctx): void {
  const { digest, governed, out } = ctx;
  const className = node.nxClass ?? 'NXroot';
  if (OPEN_CLASSES.has(className)) return;
  const chain = classChain(digest, className);
  if (chain.length === 0) return; // an unknown class is reported by the template lint
  for (const child of node.children) {
    if (child.pattern) continue;
    if (child.kind !== 'group') {
      checkLeaf(child, chain, className, ctx);
      continue;
    }
    if (
      ctx.unknownNames &&
      child.nxClass !== undefined &&
      groupSpecIn(chain, child.nxClass, child.name) === undefined &&
      !governed.has(child.path)
    ) {
      out.push(
        diagnostic(
          'NXDL_UNKNOWN',
          'info',
          `${child.path}: ${className} defines no group of class ${child.nxClass}`,
          at(child),
          `see the ${className} base class for the groups it may hold`,
        ),
      );
    }
    checkGroup(child, ctx);
  }
}

export function checkBaseClasses(
  root: ShapeNode,
  digest: NxdlDigest,
  governed: ReadonlySet<string> = new Set(),
  options: BaseClassOptions = {},
): Diagnostic[] {
  const out: Diagnostic[] = [];
  checkGroup(root, { digest, governed, unknownNames: options.unknownNames === true, out });
  return out;
}
