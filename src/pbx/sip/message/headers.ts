/** An ordered, case-insensitive, multi-valued SIP header collection. */
import { canonicalHeaderName, headerKey } from './header-names.js';

interface Entry {
  readonly key: string;
  readonly name: string;
  value: string;
}

/**
 * The headers of one SIP message, in order. Names are matched case-insensitively and compact forms are the same
 * header as their long form (`v` is `Via`). A list header (Via, Contact, Route…) holds one entry per value.
 */
export class SipHeaders {
  #entries: Entry[] = [];

  /** The first value of `name`, or undefined. */
  get(name: string): string | undefined {
    const key = headerKey(name);
    return this.#entries.find((entry) => entry.key === key)?.value;
  }

  /** Every value of `name`, in message order. */
  getAll(name: string): string[] {
    const key = headerKey(name);
    const values: string[] = [];
    for (const entry of this.#entries) if (entry.key === key) values.push(entry.value);
    return values;
  }

  /** Whether at least one value of `name` is present. */
  has(name: string): boolean {
    const key = headerKey(name);
    return this.#entries.some((entry) => entry.key === key);
  }

  /** How many values of `name` are present. */
  count(name: string): number {
    const key = headerKey(name);
    let n = 0;
    for (const entry of this.#entries) if (entry.key === key) n++;
    return n;
  }

  /** Adds a value after every existing header. */
  append(name: string, value: string): this {
    this.#entries.push({ key: headerKey(name), name: canonicalHeaderName(name), value });
    return this;
  }

  /** Adds a value before the first value of the same header (or at the top), as a proxy does with Via. */
  prepend(name: string, value: string): this {
    const key = headerKey(name);
    const index = this.#entries.findIndex((entry) => entry.key === key);
    const entry = { key, name: canonicalHeaderName(name), value };
    if (index < 0) this.#entries.unshift(entry);
    else this.#entries.splice(index, 0, entry);
    return this;
  }

  /** Replaces every value of `name` with `values`, at the position of the first old value. */
  set(name: string, values: string | readonly string[]): this {
    const key = headerKey(name);
    const list = typeof values === 'string' ? [values] : values;
    const index = this.#entries.findIndex((entry) => entry.key === key);
    this.#entries = this.#entries.filter((entry) => entry.key !== key);
    const fresh = list.map((value) => ({ key, name: canonicalHeaderName(name), value }));
    if (index < 0) this.#entries.push(...fresh);
    else this.#entries.splice(Math.min(index, this.#entries.length), 0, ...fresh);
    return this;
  }

  /** Replaces the first value of `name` (appends when absent). */
  setFirst(name: string, value: string): this {
    const key = headerKey(name);
    const entry = this.#entries.find((candidate) => candidate.key === key);
    if (entry) entry.value = value;
    else this.append(name, value);
    return this;
  }

  /** Removes every value of `name`; returns how many were removed. */
  delete(name: string): number {
    const key = headerKey(name);
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((entry) => entry.key !== key);
    return before - this.#entries.length;
  }

  /** Removes and returns the first value of `name` (a proxy removing its own Via from a response). */
  shift(name: string): string | undefined {
    const key = headerKey(name);
    const index = this.#entries.findIndex((entry) => entry.key === key);
    if (index < 0) return undefined;
    const [entry] = this.#entries.splice(index, 1);
    return entry?.value;
  }

  /** Every header as `[name, value]`, in order; names are spelled as they will be written. */
  *entries(): IterableIterator<[string, string]> {
    for (const entry of this.#entries) yield [entry.name, entry.value];
  }

  /** A deep copy. */
  clone(): SipHeaders {
    const copy = new SipHeaders();
    copy.#entries = this.#entries.map((entry) => ({ ...entry }));
    return copy;
  }
}
