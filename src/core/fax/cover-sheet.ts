/**
 * Fax cover sheets as data: create, list, update and delete (manual: "Adding a fax cover sheet" — name, subject and
 * message; "the date and sender are added automatically", which happens when the sheet is rendered, see
 * {@link renderCoverSheet}). Pure functions: they return new arrays and never change their inputs; where the list is
 * stored (the PBX, local storage) is up to the application.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';

/** A saved cover sheet. */
export interface CoverSheet {
  /** Stable id, unique in its list. */
  readonly id: string;
  /** Names the sheet in the list ("Standard", "Rechnung"); unique in the list, ignoring case. */
  readonly name: string;
  /** The subject line printed on the sheet. */
  readonly subject: string;
  /** The message printed on the sheet; line breaks are kept. */
  readonly message: string;
}

/** What a person enters for a cover sheet. */
export type CoverSheetDraft = Omit<CoverSheet, 'id'>;

/** Lengths that keep a cover sheet on one page. */
export const COVER_SHEET_LIMITS = Object.freeze({
  /** Characters of the name. */
  name: 60,
  /** Characters of the subject. */
  subject: 120,
  /** Characters of the message. */
  message: 2000,
  /** Lines of the message (long lines wrap and take more room). */
  messageLines: 30,
});

/** A field of a cover sheet and what is wrong with it. */
export interface CoverSheetIssue {
  /** The field. */
  readonly field: 'name' | 'subject' | 'message';
  /** What is wrong: empty name, too long, too many lines, a name already used. */
  readonly problem: 'required' | 'too-long' | 'too-many-lines' | 'duplicate';
}

/**
 * Cleans a draft the way it will be stored: name and subject trimmed and on one line, message with `\n` line breaks
 * and without trailing blanks.
 */
export function normalizeCoverSheet(draft: CoverSheetDraft): CoverSheetDraft {
  const oneLine = (text: string): string => text.replace(/\s+/gu, ' ').trim();
  return {
    name: oneLine(String(draft.name ?? '')),
    subject: oneLine(String(draft.subject ?? '')),
    message: String(draft.message ?? '')
      .replace(/\r\n?/g, '\n')
      .replace(/[^\S\n]+$/gmu, '')
      .replace(/^\n+|\n+$/g, ''),
  };
}

/**
 * Lists what is wrong with a draft; an empty list means it can be saved. Only the name is required.
 *
 * @param sheets - the existing list, to find a duplicate name
 * @param id - the id of the sheet being edited (its own name is not a duplicate)
 */
export function validateCoverSheet(
  draft: CoverSheetDraft,
  sheets: readonly CoverSheet[] = [],
  id?: string,
): CoverSheetIssue[] {
  const { name, subject, message } = normalizeCoverSheet(draft);
  const issues: CoverSheetIssue[] = [];
  if (name === '') issues.push({ field: 'name', problem: 'required' });
  else if ([...name].length > COVER_SHEET_LIMITS.name) issues.push({ field: 'name', problem: 'too-long' });
  else if (sheets.some((sheet) => sheet.id !== id && sameName(sheet.name, name))) {
    issues.push({ field: 'name', problem: 'duplicate' });
  }
  if ([...subject].length > COVER_SHEET_LIMITS.subject) issues.push({ field: 'subject', problem: 'too-long' });
  if ([...message].length > COVER_SHEET_LIMITS.message) issues.push({ field: 'message', problem: 'too-long' });
  else if (message.split('\n').length > COVER_SHEET_LIMITS.messageLines) {
    issues.push({ field: 'message', problem: 'too-many-lines' });
  }
  return issues;
}

/**
 * Adds a cover sheet to a list.
 *
 * @param id - the id to use (for example one the server assigned); default: the next free `cover-<n>`
 * @returns the new list (the sheet at the end) and the stored sheet
 * @throws CentrexError `invalid-argument` with `details.issues` (see {@link validateCoverSheet}) or when `id` is taken
 */
export function addCoverSheet(
  sheets: readonly CoverSheet[],
  draft: CoverSheetDraft,
  id?: string,
): { readonly sheets: readonly CoverSheet[]; readonly sheet: CoverSheet } {
  assertValid(draft, sheets, undefined);
  const sheetId = id ?? nextId(sheets);
  if (typeof sheetId !== 'string' || sheetId === '' || sheets.some((sheet) => sheet.id === sheetId)) {
    throw new CentrexError('invalid-argument', `The cover sheet id "${String(sheetId)}" is empty or already used.`, {
      details: { field: 'id', id: sheetId },
    });
  }
  const sheet: CoverSheet = { id: sheetId, ...normalizeCoverSheet(draft) };
  return { sheets: [...sheets, sheet], sheet };
}

/**
 * Replaces the name, subject and message of a cover sheet.
 *
 * @throws CentrexError `invalid-argument` for an unknown id (`details.reason: 'unknown-cover-sheet'`) or an invalid
 *   draft (`details.issues`)
 */
export function updateCoverSheet(
  sheets: readonly CoverSheet[],
  id: string,
  draft: CoverSheetDraft,
): readonly CoverSheet[] {
  requireSheet(sheets, id);
  assertValid(draft, sheets, id);
  return sheets.map((sheet) => (sheet.id === id ? { id, ...normalizeCoverSheet(draft) } : sheet));
}

/**
 * Removes a cover sheet.
 *
 * @throws CentrexError `invalid-argument` for an unknown id (`details.reason: 'unknown-cover-sheet'`)
 */
export function deleteCoverSheet(sheets: readonly CoverSheet[], id: string): readonly CoverSheet[] {
  requireSheet(sheets, id);
  return sheets.filter((sheet) => sheet.id !== id);
}

/** The sheets sorted by name for a list or drop-down, the way people of `locale` sort (umlauts next to their vowel). */
export function listCoverSheets(sheets: readonly CoverSheet[], locale?: string): readonly CoverSheet[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
  return [...sheets].sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function sameName(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

function nextId(sheets: readonly CoverSheet[]): string {
  let highest = 0;
  for (const sheet of sheets) {
    const match = /^cover-(\d+)$/.exec(sheet.id);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `cover-${highest + 1}`;
}

function requireSheet(sheets: readonly CoverSheet[], id: string): void {
  if (!sheets.some((sheet) => sheet.id === id)) {
    throw new CentrexError('invalid-argument', `There is no cover sheet with the id "${id}".`, {
      details: { field: 'id', id, reason: 'unknown-cover-sheet' },
    });
  }
}

function assertValid(draft: CoverSheetDraft, sheets: readonly CoverSheet[], id: string | undefined): void {
  if (typeof draft !== 'object' || draft === null) {
    throw new CentrexError('invalid-argument', 'A cover sheet needs a name, a subject and a message.', {
      details: { field: 'draft' },
    });
  }
  const issues = validateCoverSheet(draft, sheets, id);
  if (issues.length === 0) return;
  const first = issues[0]!;
  const sentence = {
    required: 'Give the cover sheet a name.',
    'too-long': `The ${first.field} of the cover sheet is too long (at most ${
      COVER_SHEET_LIMITS[first.field]
    } characters).`,
    'too-many-lines': `The message of the cover sheet has too many lines (at most ${COVER_SHEET_LIMITS.messageLines}).`,
    duplicate: 'A cover sheet with this name exists already; choose another name.',
  }[first.problem];
  throw new CentrexError('invalid-argument', sentence, { details: { issues } });
}
