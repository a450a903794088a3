/**
 * Which run a document of a log belongs to, for the publisher: by its
 * run_start, its descriptor or its resource (RunOwners); a legacy resource (no
 * run_start) belongs to the run started last and not stopped, as the
 * router reads it.
 */
import type { NamedDocument } from '../documents/models.js';
import { RunOwners } from '../documents/run-owners.js';

export class RunOf {
  readonly #owners = new RunOwners();
  #current: string | undefined;

  /** The run uid of `named`, or undefined (a document of no known run). */
  of(named: NamedDocument): string | undefined {
    let uid = this.#owners.runOf(named);
    if (named.name === 'start') this.#current = uid;
    else if (named.name === 'stop' && this.#current === uid) this.#current = undefined;
    else if (named.name === 'resource' || named.name === 'stream_resource') uid ??= this.#current;
    if (uid !== undefined) this.#owners.own(named, uid);
    return uid;
  }
}
