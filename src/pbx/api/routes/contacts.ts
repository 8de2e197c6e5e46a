/**
 * Address books: global contacts are read-only for users and written by admins; private contacts belong to one
 * user and are invisible to everyone else (another user gets 404, not 403, so ids reveal nothing).
 * @packageDocumentation
 */
import type { Contact, ContactInput, ContactNumber, ContactScope } from '../../store/index.js';
import { created, noContent, ok, type Auth, type AuthedContext, type Route } from '../context.js';
import { forbidden, invalid, notFound } from '../errors.js';
import { expectObject, nullableString, optionalArray, optionalEnum, optionalString, requiredString, type JsonObject } from '../input.js';
import { contactJson } from '../serialize.js';

const SCOPES = ['global', 'private'] as const;

function readNumbers(value: readonly unknown[] | undefined): ContactNumber[] | undefined {
  return value?.map((entry, index) => {
    const at = `numbers.${index}`;
    const object = expectObject(entry, ['label', 'number'], at);
    return { label: optionalString(object, 'label', at) ?? '', number: requiredString(object, 'number', at) };
  });
}

function readContact(body: JsonObject): ContactInput {
  const company = nullableString(body, 'company');
  const email = nullableString(body, 'email');
  const numbers = readNumbers(optionalArray(body, 'numbers'));
  return {
    name: requiredString(body, 'name'),
    ...(company === undefined ? {} : { company }),
    ...(email === undefined ? {} : { email }),
    ...(numbers === undefined ? {} : { numbers }),
  };
}

/** Whether the signed-in user may change a contact they can see. */
function writable(contact: Contact, auth: Auth): boolean {
  return contact.scope === 'global' ? auth.user.role === 'admin' : contact.ownerId === auth.user.id;
}

function viewer(auth: Auth): { tenantId: string; userId: string } {
  return { tenantId: auth.tenant.id, userId: auth.user.id };
}

function emitChange(ctx: AuthedContext, scope: ContactScope): void {
  const { tenant, user } = ctx.auth;
  ctx.deps.events.emit(
    scope === 'global'
      ? { type: 'data-changed', tenantId: tenant.id, area: 'contacts' }
      : { type: 'data-changed', tenantId: tenant.id, userId: user.id, area: 'contacts' },
  );
}

function editable(ctx: AuthedContext): Contact {
  const contact = ctx.deps.store.getContact(viewer(ctx.auth), ctx.params['id'] ?? '');
  if (!contact) throw notFound('The contact');
  if (!writable(contact, ctx.auth)) throw forbidden('Global contacts are managed by your admin; you can only read them.');
  return contact;
}

/** The routes of this module. */
export const contactRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/contacts',
    access: 'user',
    handle(ctx: AuthedContext) {
      const scope = ctx.query.get('scope');
      if (scope !== null && scope !== 'global' && scope !== 'private') throw invalid('scope', 'scope must be global or private.');
      const contacts = ctx.deps.store.listContacts(viewer(ctx.auth), scope ?? undefined);
      return ok({ contacts: contacts.map((contact) => contactJson(contact, writable(contact, ctx.auth))) });
    },
  },
  {
    method: 'POST',
    path: '/contacts',
    access: 'user',
    handle(ctx: AuthedContext) {
      const body = expectObject(ctx.body, ['scope', 'name', 'company', 'email', 'numbers']);
      const scope = optionalEnum(body, 'scope', SCOPES) ?? 'private';
      if (scope === 'global' && ctx.auth.user.role !== 'admin') {
        throw forbidden('Only admins can add global contacts; add it as a private contact instead.');
      }
      const contact = ctx.deps.store.createContact(viewer(ctx.auth), scope, readContact(body));
      emitChange(ctx, scope);
      return created(contactJson(contact, true));
    },
  },
  {
    method: 'GET',
    path: '/contacts/{id}',
    access: 'user',
    handle(ctx: AuthedContext) {
      const contact = ctx.deps.store.getContact(viewer(ctx.auth), ctx.params['id'] ?? '');
      if (!contact) throw notFound('The contact');
      return ok(contactJson(contact, writable(contact, ctx.auth)));
    },
  },
  {
    method: 'PUT',
    path: '/contacts/{id}',
    access: 'user',
    handle(ctx: AuthedContext) {
      const current = editable(ctx);
      const body = expectObject(ctx.body, ['scope', 'name', 'company', 'email', 'numbers']);
      const scope = optionalEnum(body, 'scope', SCOPES);
      if (scope !== undefined && scope !== current.scope) throw invalid('scope', 'A contact cannot move between address books.');
      const contact = ctx.deps.store.updateContact(viewer(ctx.auth), current.id, readContact(body));
      emitChange(ctx, contact.scope);
      return ok(contactJson(contact, true));
    },
  },
  {
    method: 'DELETE',
    path: '/contacts/{id}',
    access: 'user',
    handle(ctx: AuthedContext) {
      const current = editable(ctx);
      ctx.deps.store.deleteContact(viewer(ctx.auth), current.id);
      emitChange(ctx, current.scope);
      return noContent();
    },
  },
];
