/**
 * Address books: the tenant's global contacts (written by admins) and each user's private ones (seen by nobody else).
 * Every query is scoped by a {@link Viewer}, so a private contact can only ever reach its owner.
 * @packageDocumentation
 */
import { cleanEmail, cleanOptionalText, cleanText, isRecord, newId, parseJson, type StoreContext } from './context.js';
import { StoreError } from './errors.js';
import type { Contact, ContactInput, ContactNumber, ContactScope, Viewer } from './types.js';

interface ContactRow {
  id: string;
  tenant_id: string;
  owner_id: string | null;
  name: string;
  company: string | null;
  email: string | null;
  numbers: string;
  created_at: number;
  updated_at: number;
}

/** The most numbers one contact can have. */
export const MAX_CONTACT_NUMBERS = 10;

/** The contact part of {@link Store}. */
export interface ContactStore {
  /** The global contacts of the viewer's tenant and the viewer's private ones, by name. */
  listContacts(viewer: Viewer, scope?: ContactScope): Contact[];
  /** A contact the viewer may see (global in their tenant, or their own private one). */
  getContact(viewer: Viewer, contactId: string): Contact | undefined;
  /**
   * Creates a contact: `global` in the viewer's tenant (the caller checks the viewer is an admin), or `private` for
   * the viewer.
   * @throws StoreError `validation-failed`
   */
  createContact(viewer: Viewer, scope: ContactScope, input: ContactInput): Contact;
  /**
   * Replaces a contact the viewer can see. Whether the viewer may write a global contact is the caller's decision.
   * @throws StoreError `not-found`, `validation-failed`
   */
  updateContact(viewer: Viewer, contactId: string, input: ContactInput): Contact;
  /** Deletes a contact the viewer can see. @returns whether one was deleted */
  deleteContact(viewer: Viewer, contactId: string): boolean;
  /** The numbers of a contact the user can see (for `contact` forwarding rules); empty when not visible. */
  contactNumbers(viewer: Viewer, contactId: string): string[];
}

function toContact(row: ContactRow): Contact {
  const stored = parseJson(row.numbers, []);
  const numbers: ContactNumber[] = Array.isArray(stored)
    ? stored.filter(isRecord).map((entry) => ({
        label: typeof entry['label'] === 'string' ? entry['label'] : '',
        number: typeof entry['number'] === 'string' ? entry['number'] : '',
      }))
    : [];
  return {
    id: row.id,
    tenantId: row.tenant_id,
    scope: row.owner_id === null ? 'global' : 'private',
    ownerId: row.owner_id,
    name: row.name,
    company: row.company,
    email: row.email,
    numbers,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function cleanContact(input: ContactInput): { name: string; company: string | null; email: string | null; numbers: string } {
  const name = cleanText(input.name, 'name', { max: 200 });
  const company = cleanOptionalText(input.company, 'company', 200);
  const rawEmail = input.email === undefined || input.email === null || input.email.trim() === '' ? null : input.email;
  const email = rawEmail === null ? null : cleanEmail(rawEmail);
  const numbers = input.numbers ?? [];
  if (!Array.isArray(numbers) || numbers.length > MAX_CONTACT_NUMBERS) {
    throw new StoreError('validation-failed', `A contact has at most ${MAX_CONTACT_NUMBERS} numbers.`, { field: 'numbers' });
  }
  const cleaned = numbers.map((entry, index) => {
    const label = cleanText(entry.label ?? '', `numbers.${index}.label`, { max: 50, allowEmpty: true });
    const number = cleanText(entry.number, `numbers.${index}.number`, { max: 40 });
    // Contacts keep numbers as people wrote them (the directory search reads any format), but only number characters.
    if (!/^\+?[\d\s\-./()]+$/.test(number) || !/\d/.test(number)) {
      throw new StoreError('validation-failed', `"${number}" is not a phone number.`, { field: `numbers.${index}.number` });
    }
    return { label, number };
  });
  return { name, company, email, numbers: JSON.stringify(cleaned) };
}

/** Builds the contact part of the store. */
export function contactStore(ctx: StoreContext): ContactStore {
  const VISIBLE = 'tenant_id = ? AND (owner_id IS NULL OR owner_id = ?)';
  const get = (viewer: Viewer, contactId: string): Contact | undefined => {
    const row = ctx
      .sql<[string, string, string], ContactRow>(`SELECT * FROM contacts WHERE id = ? AND ${VISIBLE}`)
      .get(contactId, viewer.tenantId, viewer.userId);
    return row ? toContact(row) : undefined;
  };
  return {
    listContacts(viewer, scope) {
      const filter = scope === 'global' ? 'AND owner_id IS NULL' : scope === 'private' ? 'AND owner_id IS NOT NULL' : '';
      return ctx
        .sql<[string, string], ContactRow>(`SELECT * FROM contacts WHERE ${VISIBLE} ${filter} ORDER BY name COLLATE NOCASE, id`)
        .all(viewer.tenantId, viewer.userId)
        .map(toContact);
    },

    getContact: get,

    createContact(viewer, scope, input) {
      if (scope !== 'global' && scope !== 'private') {
        throw new StoreError('validation-failed', 'scope must be "global" or "private".', { field: 'scope' });
      }
      const clean = cleanContact(input);
      const id = newId();
      const now = ctx.now();
      ctx
        .sql<[string, string, string | null, string, string | null, string | null, string, number, number]>(
          `INSERT INTO contacts (id, tenant_id, owner_id, name, company, email, numbers, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, viewer.tenantId, scope === 'private' ? viewer.userId : null, clean.name, clean.company, clean.email,
          clean.numbers, now, now);
      const created = get(viewer, id);
      if (!created) throw new StoreError('not-found', 'The new contact does not exist.');
      return created;
    },

    updateContact(viewer, contactId, input) {
      const clean = cleanContact(input);
      return ctx.tx(() => {
        const result = ctx
          .sql<[string, string | null, string | null, string, number, string, string, string]>(
            `UPDATE contacts SET name = ?, company = ?, email = ?, numbers = ?, updated_at = ? WHERE id = ? AND ${VISIBLE}`,
          )
          .run(clean.name, clean.company, clean.email, clean.numbers, ctx.now(), contactId, viewer.tenantId, viewer.userId);
        const updated = result.changes > 0 ? get(viewer, contactId) : undefined;
        if (!updated) throw new StoreError('not-found', 'The contact does not exist.');
        return updated;
      });
    },

    deleteContact(viewer, contactId) {
      return (
        ctx
          .sql<[string, string, string]>(`DELETE FROM contacts WHERE id = ? AND ${VISIBLE}`)
          .run(contactId, viewer.tenantId, viewer.userId).changes > 0
      );
    },

    contactNumbers(viewer, contactId) {
      return get(viewer, contactId)?.numbers.map((entry) => entry.number) ?? [];
    },
  };
}
