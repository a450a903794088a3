/**
 * validate/: the checks of `nxlayout validate`. Findings are Diagnostics
 * (src/errors.ts) whose location names the template file, line, column and
 * JSON pointer; the NeXus definitions are read into the digest types below.
 */
import type { Diagnostic } from '../errors.js';

/** How a NeXus definition wants a node: present (required), advised (recommended) or allowed (optional). */
export type Requirement = 'required' | 'recommended' | 'optional';

/**
 * How an NXDL `name` is read: exactly (`specified`), any name (`any`, also
 * for unnamed groups and ALL-UPPERCASE names), or with its uppercase letters
 * standing for any text (`partial`, e.g. `AXISNAME_indices`).
 */
export type NameType = 'specified' | 'any' | 'partial';

export interface NxdlAttribute {
  readonly name: string;
  readonly nameType?: NameType;
  /** NX_CHAR, NX_FLOAT…; absent = NX_CHAR (NXDL's default). */
  readonly type?: string;
  readonly requirement: Requirement;
  readonly enumeration?: readonly string[];
  readonly deprecated?: boolean;
}

export interface NxdlField {
  readonly name: string;
  readonly nameType?: NameType;
  readonly type?: string;
  /** Units category (NX_LENGTH…), kept for messages. */
  readonly units?: string;
  readonly requirement: Requirement;
  readonly enumeration?: readonly string[];
  readonly attributes: readonly NxdlAttribute[];
  readonly deprecated?: boolean;
}

export interface NxdlLink {
  readonly name: string;
  readonly target?: string;
  readonly requirement: Requirement;
}

export interface NxdlGroup {
  /** The NX class (`NXentry`). */
  readonly type: string;
  /** Absent: any name. */
  readonly name?: string;
  readonly nameType?: NameType;
  readonly requirement: Requirement;
  readonly deprecated?: boolean;
  readonly groups: readonly NxdlGroup[];
  readonly fields: readonly NxdlField[];
  readonly attributes: readonly NxdlAttribute[];
  readonly links: readonly NxdlLink[];
  /** `<choice name>`: one of these group types under that name. */
  readonly choices?: readonly { name: string; requirement: Requirement; types: string[] }[];
}

/** Which folder of the NeXus definitions a class comes from. */
export type NxdlCategory = 'base' | 'application' | 'contributed';

export interface NxdlDefinition extends NxdlGroup {
  /** The class name: `NXxpcs`, `NXentry`… (= `type`). */
  readonly type: string;
  readonly category: NxdlCategory;
  /** `category="application"` in the file (contributed definitions may be either). */
  readonly isApplication: boolean;
  readonly extends?: string;
}

/** What scripts/build-nxdl-digest.mjs writes to schemas/nxdl-digest.json. */
export interface NxdlDigest {
  readonly format: 'nxlayout-nxdl-digest/1';
  /** NXDL_VERSION of the definitions it was built from. */
  readonly version: string;
  readonly license: string;
  readonly definitions: Readonly<Record<string, NxdlDefinition>>;
}

/** One finding of `validate`: a diagnostic, located in the template when it can be. */
export type Finding = Diagnostic;
