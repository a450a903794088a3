/**
 * What the template checks need to know that the template does not say: the names a run will
 * resolve against, all owned downstream (evaluate's text helpers, calculation registry and text
 * renderer; validate's NeXus definitions). validate/ passes them in, so every check that needs
 * no run lives here, in layout/lint/, without layout/ importing what comes after it.
 */

/** What a check needs of a registered calculation (evaluate's CalculationSpec has it). */
export interface CalculationSignature {
  readonly minArgs: number;
  /** Undefined: any number. */
  readonly maxArgs?: number;
  readonly kwargs?: readonly string[];
  readonly anyKwargs?: boolean;
  readonly description: string;
}

/** The calculations a template may name (evaluate's CalculationRegistry is one). */
export interface CalculationCatalog {
  get(name: string): CalculationSignature | undefined;
  has(name: string): boolean;
  names(): readonly string[];
}

export interface LintVocabulary {
  /** Helpers handlebars text may call besides handlebars' own (evaluate's text helpers). */
  readonly helpers: readonly string[];
  readonly calculations: CalculationCatalog;
  /** NeXus class names a group may take, and the version of the definitions they come from. */
  readonly nxClasses: { readonly names: readonly string[]; readonly version: string };
  /** Renders template text as for a run (evaluate's renderText): `file` is rendered for a made-up run. */
  readonly render: (template: string, context: object) => string;
}
