/**
 * Small tools for sorted arrays: binary search, sorting ordinals, and walking the union of sorted ordinal lists.
 */

/** Entry positions in the index, ascending and without duplicates. */
export type OrdinalList = Uint32Array;

/** An ordinal list with nothing in it. */
export const NO_ORDINALS: OrdinalList = new Uint32Array(0);

/**
 * The first position in `sorted[from, to)` whose value is not less than `target` (`to` when there is none).
 * Strings compare by UTF-16 code units, the same order `Array.prototype.sort` gives them.
 */
export function lowerBound<T extends string | number>(
  sorted: ArrayLike<T>,
  target: T,
  from = 0,
  to = sorted.length,
): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as T) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Sorts ordinals and drops repeats, in place; returns the sorted part of the same buffer. */
export function sortUnique(ordinals: Uint32Array): OrdinalList {
  if (ordinals.length < 2) return ordinals;
  ordinals.sort();
  let kept = 1;
  for (let i = 1; i < ordinals.length; i++) {
    if (ordinals[i] !== ordinals[kept - 1]) ordinals[kept++] = ordinals[i] as number;
  }
  return ordinals.subarray(0, kept);
}

/**
 * Walks the union of a few ordinal lists in ascending order, each ordinal once, without building the union.
 * Queries rarely have more than two lists per word (plain and German spelling), so a linear minimum is enough.
 */
export class OrdinalCursor {
  readonly #lists: readonly OrdinalList[];
  readonly #positions: number[];

  /** @param lists - ascending ordinal lists; the cursor starts before the smallest ordinal of all */
  constructor(lists: readonly OrdinalList[]) {
    this.#lists = lists;
    this.#positions = lists.map(() => 0);
  }

  /** The current ordinal, or `Infinity` once every list is used up. */
  current(): number {
    let smallest = Infinity;
    for (let i = 0; i < this.#lists.length; i++) {
      const list = this.#lists[i] as OrdinalList;
      const position = this.#positions[i] as number;
      if (position < list.length && (list[position] as number) < smallest) smallest = list[position] as number;
    }
    return smallest;
  }

  /** Moves past the current ordinal. */
  next(): void {
    const current = this.current();
    for (let i = 0; i < this.#lists.length; i++) {
      const list = this.#lists[i] as OrdinalList;
      const position = this.#positions[i] as number;
      if (position < list.length && list[position] === current) this.#positions[i] = position + 1;
    }
  }

  /** Moves forward to the first ordinal not less than `ordinal` (never backwards). */
  seek(ordinal: number): void {
    for (let i = 0; i < this.#lists.length; i++) {
      const list = this.#lists[i] as OrdinalList;
      this.#positions[i] = lowerBound(list, ordinal, this.#positions[i] as number);
    }
  }
}
