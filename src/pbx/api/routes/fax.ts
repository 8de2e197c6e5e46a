/**
 * Fax (manual B.3 "Fax"): linking fax extensions with login and PIN, cover-sheet templates, sending (the job is
 * checked, stored and answered `202 queued` at once; the fax service sends it), the history of sent jobs and the
 * received faxes with their documents. Admins provision fax extensions and assign them to users.
 *
 * Sent jobs are visible only to the user who sent them; received faxes to the users who have the receiving fax
 * extension linked. Anything else answers `404`, so ids reveal nothing.
 * @packageDocumentation
 */
import { isCentrexError, type CentrexError } from '../../../core/errors.js';
import type { FaxDocumentInfo } from '../../../core/fax/limits.js';
import { normalizeCoverSheet, validateCoverSheet } from '../../../core/fax/cover-sheet.js';
import { normalizeNumber } from '../../../core/numbers/index.js';
import { faxNumberOf, toFaxExtension, toFaxJob, toReceivedFax } from '../../fax/records.js';
import {
  checkDestination,
  dummyHash,
  hashPassword,
  verifyPassword,
  type FaxCoverMode,
  type FaxCoverSheetRecord,
  type FaxExtensionRecord,
  type Tenant,
} from '../../store/index.js';
import { created, noContent, ok, type AuthedContext, type Reply, type Route } from '../context.js';
import { ApiError, invalid, notFound, type ApiErrorCode } from '../errors.js';
import { parseJsonBody, sendPdf } from '../http.js';
import {
  expectObject,
  optionalArray,
  optionalBoolean,
  optionalString,
  queryInteger,
  requiredString,
  type JsonObject,
} from '../input.js';
import { multipartBoundary, parseMultipart } from '../multipart.js';
import { iso } from '../serialize.js';
import { rateLimited } from './auth.js';

/** The codes of the core's document check, which the API passes on as they are. */
const DOCUMENT_CODES = ['pdf-encrypted', 'pdf-extraction-forbidden', 'pdf-has-form-fields', 'pdf-invalid', 'pdf-too-large'] as const;

const JOB_FIELDS = ['extensionId', 'to', 'document', 'coverSheet', 'coverSheetId', 'coverIncluded'] as const;
const MULTIPART_FIELDS = ['extensionId', 'to', 'document', 'coverSubject', 'coverMessage', 'coverSheetId', 'coverIncluded'] as const;

/** How a job's cover page is asked for. */
type CoverRequest =
  | { readonly kind: 'none' }
  | { readonly kind: 'inline'; readonly subject: string; readonly message: string }
  | { readonly kind: 'template'; readonly id: string }
  | { readonly kind: 'included' };

interface JobSubmission {
  readonly extensionId: string;
  readonly to: string;
  readonly document: Uint8Array;
  readonly cover: CoverRequest;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeBase64(text: string): Uint8Array {
  // Line breaks are allowed (MIME writes base64 in lines); anything else that is not base64 is refused rather than
  // skipped, as Buffer.from would.
  const clean = text.replace(/[\r\n]+/g, '');
  if (clean.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) {
    throw invalid('document', 'document must be the PDF file in base64.');
  }
  const buffer = Buffer.from(clean, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

function chooseCover(inline: CoverRequest | undefined, templateId: string | undefined, included: boolean | undefined): CoverRequest {
  const template: CoverRequest | undefined = templateId === undefined ? undefined : { kind: 'template', id: templateId };
  const prepended: CoverRequest | undefined = included === true ? { kind: 'included' } : undefined;
  const chosen = [inline, template, prepended].filter((entry): entry is CoverRequest => entry !== undefined);
  if (chosen.length > 1) {
    throw invalid('coverSheet', 'Ask for one cover page at most: a cover sheet, a saved cover sheet, or one already in the document.');
  }
  return chosen[0] ?? { kind: 'none' };
}

function readJsonSubmission(object: JsonObject): JobSubmission {
  let inline: CoverRequest | undefined;
  if (object['coverSheet'] !== undefined && object['coverSheet'] !== null) {
    const cover = expectObject(object['coverSheet'], ['subject', 'message'], 'coverSheet');
    inline = {
      kind: 'inline',
      subject: optionalString(cover, 'subject', 'coverSheet') ?? '',
      message: optionalString(cover, 'message', 'coverSheet') ?? '',
    };
  }
  return {
    extensionId: requiredString(object, 'extensionId'),
    to: requiredString(object, 'to'),
    document: decodeBase64(requiredString(object, 'document')),
    cover: chooseCover(inline, optionalString(object, 'coverSheetId'), optionalBoolean(object, 'coverIncluded')),
  };
}

function readMultipartSubmission(raw: Buffer, boundary: string): JobSubmission {
  const fields = new Map<string, Buffer>();
  for (const part of parseMultipart(raw, boundary)) {
    if (!(MULTIPART_FIELDS as readonly string[]).includes(part.name)) throw invalid(part.name, `Unknown field "${part.name}".`);
    if (fields.has(part.name)) throw invalid(part.name, `The field "${part.name}" is given twice.`);
    fields.set(part.name, part.data);
  }
  const text = (name: string): string | undefined => {
    const value = fields.get(name);
    if (value === undefined) return undefined;
    try {
      return UTF8.decode(value);
    } catch {
      throw invalid(name, `${name} is not valid UTF-8 text.`);
    }
  };
  const required = (name: string): string => {
    const value = text(name);
    if (value === undefined) throw invalid(name, `${name} is required.`);
    return value;
  };
  const document = fields.get('document');
  if (document === undefined) throw invalid('document', 'Attach the PDF as the file field "document".');
  const subject = text('coverSubject');
  const message = text('coverMessage');
  const includedText = text('coverIncluded');
  if (includedText !== undefined && includedText !== 'true' && includedText !== 'false') {
    throw invalid('coverIncluded', 'coverIncluded must be true or false.');
  }
  const inline: CoverRequest | undefined =
    subject === undefined && message === undefined ? undefined : { kind: 'inline', subject: subject ?? '', message: message ?? '' };
  return {
    extensionId: required('extensionId'),
    to: required('to'),
    document: new Uint8Array(document.buffer, document.byteOffset, document.byteLength),
    cover: chooseCover(inline, text('coverSheetId'), includedText === 'true'),
  };
}

/** Reads `POST /fax/jobs` as JSON (document in base64) or as `multipart/form-data` (document as a file part). */
function readSubmission(ctx: AuthedContext): JobSubmission {
  const raw = ctx.raw ?? Buffer.alloc(0);
  const contentType = ctx.req.headers['content-type'];
  const boundary = multipartBoundary(contentType);
  if (boundary !== undefined) return readMultipartSubmission(raw, boundary);
  if (raw.length === 0) throw invalid('body', 'Send the fax as JSON (document in base64) or as multipart/form-data.');
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError(415, 'unsupported-media-type', 'Send the fax as application/json or multipart/form-data.');
  }
  return readJsonSubmission(expectObject(parseJsonBody(ctx.req, raw), JOB_FIELDS));
}

/**
 * Reads the destination with the tenant's dial plan. An extension, or the tenant's own number followed by an
 * extension, must be a fax extension of the tenant (delivered internally); any other number goes out and must pass
 * the toll-fraud policy.
 */
function resolveDestination(ctx: AuthedContext, input: string): { readonly to: string; readonly kind: 'internal' | 'external' } {
  const { deps, auth } = ctx;
  const tenant: Tenant = auth.tenant;
  const normalized = normalizeNumber(input, tenant.dialPlan);
  if (normalized.kind === 'invalid') {
    throw invalid('to', `"${input.trim()}" is neither a fax extension nor a complete fax number; enter the number with its area code.`);
  }
  const internal = (extension: string): FaxExtensionRecord | undefined => deps.store.findFaxExtensionByExtension(tenant.id, extension);
  if (normalized.kind === 'extension') {
    if (!internal(normalized.extension)) {
      throw invalid('to', `${normalized.extension} is not a fax extension of your company; check the number.`);
    }
    return { to: normalized.extension, kind: 'internal' };
  }
  const main = tenant.dialPlan.mainNumber;
  if (main !== null && normalized.e164.startsWith(main)) {
    const own = internal(normalized.e164.slice(main.length));
    if (own) return { to: own.extension, kind: 'internal' };
  }
  const checked = checkDestination(normalized.e164, tenant);
  if (!checked.allowed) {
    if (checked.reason === 'invalid') throw invalid('to', checked.message);
    throw new ApiError(403, 'destination-not-allowed', checked.message, { field: 'to' });
  }
  return { to: normalized.e164, kind: 'external' };
}

/** The cover page of a job as it will be stored: checked inline text, or a saved template's text. */
function resolveCover(ctx: AuthedContext, cover: CoverRequest): { mode: FaxCoverMode; subject?: string; message?: string } {
  switch (cover.kind) {
    case 'none':
      return { mode: 'none' };
    case 'included':
      return { mode: 'included' };
    case 'template': {
      const sheet = ctx.deps.store.getFaxCoverSheet(ctx.auth.user.id, cover.id);
      if (!sheet) throw new ApiError(404, 'not-found', 'The cover sheet does not exist.', { field: 'coverSheetId' });
      return { mode: 'render', subject: sheet.subject, message: sheet.message };
    }
    case 'inline': {
      // The same rules as a saved sheet, so the page fits (a placeholder name: inline sheets have none).
      const sheet = normalizeCoverSheet({ name: 'inline', subject: cover.subject, message: cover.message });
      const issue = validateCoverSheet(sheet)[0];
      if (issue) throw invalid(`coverSheet.${issue.field}`, `The ${issue.field} of the cover sheet is too long for one page.`);
      return { mode: 'render', subject: sheet.subject, message: sheet.message };
    }
  }
}

/** The core check's refusal as an API error (the same code and message the client would have shown). */
function documentRefused(error: CentrexError): ApiError {
  // The parser's own words are for logs, not for the person who sent the file.
  const { detail: _detail, ...details } = error.details ?? {};
  return new ApiError(422, error.code as ApiErrorCode, error.message, { field: 'document', issues: [details] });
}

async function checkDocument(ctx: AuthedContext, document: Uint8Array): Promise<FaxDocumentInfo> {
  const fax = ctx.deps.fax;
  if (!fax) throw new ApiError(503, 'not-available', 'Fax is not available on this PBX right now.');
  try {
    return await fax.checkDocument(document);
  } catch (error) {
    if (isCentrexError(error) && (DOCUMENT_CODES as readonly string[]).includes(error.code)) throw documentRefused(error);
    ctx.deps.log('warn', 'fax document check could not run', { error: String(error) });
    throw new ApiError(503, 'not-available', 'The fax document check is not available right now; try again in a moment.');
  }
}

function coverSheetJson(sheet: FaxCoverSheetRecord): Record<string, unknown> {
  return { id: sheet.id, name: sheet.name, subject: sheet.subject, message: sheet.message };
}

function readCoverSheet(body: unknown): { name: string; subject: string; message: string } {
  const object = expectObject(body, ['name', 'subject', 'message']);
  return {
    name: requiredString(object, 'name'),
    subject: optionalString(object, 'subject') ?? '',
    message: optionalString(object, 'message') ?? '',
  };
}

/** A fax extension as its admin sees it. */
function adminFaxExtensionJson(record: FaxExtensionRecord, tenant: Tenant): Record<string, unknown> {
  return {
    id: record.id,
    name: record.name,
    login: record.login,
    extension: record.extension,
    number: faxNumberOf(tenant, record),
    userIds: record.assignedUserIds,
    linkedUserIds: record.linkedUserIds,
    createdAt: iso(record.createdAt),
  };
}

function readUserIds(body: JsonObject): string[] | undefined {
  const ids = optionalArray(body, 'userIds');
  return ids?.map((id, index) => {
    if (typeof id !== 'string') throw invalid(`userIds.${index}`, 'userIds are the ids of users, as text.');
    return id;
  });
}

function readPin(body: JsonObject, required: boolean): string | undefined {
  const pin = required ? requiredString(body, 'pin') : optionalString(body, 'pin');
  if (pin !== undefined && !/^\d{4,10}$/.test(pin)) throw invalid('pin', 'A fax PIN is 4 to 10 digits.');
  return pin;
}

function download(ctx: AuthedContext, document: Uint8Array | undefined, what: string, filename: string): Reply {
  if (!document) throw notFound(what);
  sendPdf(ctx.res, document, filename, ctx.cors);
  return 'streaming';
}

/** The user's fax routes. */
export const faxRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/fax/extensions',
    access: 'user',
    handle: ({ deps, auth }: AuthedContext) =>
      ok({ extensions: deps.store.listLinkedFaxExtensions(auth.user.id).map((record) => toFaxExtension(record, auth.tenant)) }),
  },
  {
    method: 'POST',
    path: '/fax/extensions',
    access: 'user',
    async handle(ctx: AuthedContext) {
      const { deps, auth, client } = ctx;
      // PINs are short: failures count towards the same per-address lockout as conference PINs.
      const wait = deps.pinLimiter.retryAfter(client);
      if (wait > 0) throw rateLimited(wait);
      const body = expectObject(ctx.body, ['login', 'pin']);
      const login = requiredString(body, 'login');
      const pin = requiredString(body, 'pin');
      const found = deps.store.findFaxLogin(auth.tenant.id, login);
      // An unknown login costs the same check as a wrong PIN and gets the same answer.
      const matches = await verifyPassword(pin, found?.pinHash ?? (await dummyHash()));
      if (!found || !matches) {
        const locked = deps.pinLimiter.fail(client);
        deps.log('warn', 'fax login failed', { userId: auth.user.id, client, lockedForS: locked });
        throw new ApiError(403, 'fax-login-failed', 'The fax login or the PIN is wrong; check both (your administrator gave them to you).');
      }
      if (!deps.store.linkFaxExtension(auth.tenant.id, found.faxExtension.id, auth.user.id)) {
        throw new ApiError(403, 'forbidden', 'This fax extension is not assigned to you; ask your administrator to assign it.');
      }
      return ok(toFaxExtension(found.faxExtension, auth.tenant));
    },
  },
  {
    method: 'DELETE',
    path: '/fax/extensions/{id}',
    access: 'user',
    handle(ctx: AuthedContext) {
      if (!ctx.deps.store.unlinkFaxExtension(ctx.auth.tenant.id, ctx.params['id'] ?? '', ctx.auth.user.id)) {
        throw notFound('The linked fax extension');
      }
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/fax/cover-sheets',
    access: 'user',
    handle: ({ deps, auth }: AuthedContext) => ok({ coverSheets: deps.store.listFaxCoverSheets(auth.user.id).map(coverSheetJson) }),
  },
  {
    method: 'POST',
    path: '/fax/cover-sheets',
    access: 'user',
    handle(ctx: AuthedContext) {
      const sheet = ctx.deps.store.createFaxCoverSheet(ctx.auth.user.id, readCoverSheet(ctx.body));
      return created(coverSheetJson(sheet));
    },
  },
  {
    method: 'PUT',
    path: '/fax/cover-sheets/{id}',
    access: 'user',
    handle(ctx: AuthedContext) {
      const sheet = ctx.deps.store.updateFaxCoverSheet(ctx.auth.user.id, ctx.params['id'] ?? '', readCoverSheet(ctx.body));
      return ok(coverSheetJson(sheet));
    },
  },
  {
    method: 'DELETE',
    path: '/fax/cover-sheets/{id}',
    access: 'user',
    handle(ctx: AuthedContext) {
      if (!ctx.deps.store.deleteFaxCoverSheet(ctx.auth.user.id, ctx.params['id'] ?? '')) throw notFound('The cover sheet');
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/fax/jobs',
    access: 'user',
    upload: true,
    async handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      const fax = deps.fax;
      if (!fax) throw new ApiError(503, 'not-available', 'Fax is not available on this PBX right now.');
      const submission = readSubmission(ctx);
      const extension = deps.store.getLinkedFaxExtension(auth.user.id, submission.extensionId);
      if (!extension) throw new ApiError(404, 'not-found', 'The fax extension is not linked to you.', { field: 'extensionId' });
      // The cheap checks first: a wrong number never costs a document check.
      const destination = resolveDestination(ctx, submission.to);
      const cover = resolveCover(ctx, submission.cover);
      const info = await checkDocument(ctx, submission.document);
      const record = deps.store.createFaxJobRecord({
        tenantId: auth.tenant.id,
        ownerId: auth.user.id,
        faxExtensionId: extension.id,
        senderName: auth.user.name,
        to: destination.to,
        toKind: destination.kind,
        cover,
        locale: auth.user.language,
        document: submission.document,
        pages: info.pages + (cover.mode === 'render' ? 1 : 0),
        maxAttempts: fax.maxAttempts,
      });
      const job = toFaxJob(record);
      deps.log('info', 'fax queued', { jobId: job.id, userId: auth.user.id, to: destination.kind, pages: job.pages });
      deps.events.emit({ type: 'fax-job', tenantId: auth.tenant.id, userId: auth.user.id, job });
      fax.wake();
      return { status: 202, body: job };
    },
  },
  {
    method: 'GET',
    path: '/fax/jobs',
    access: 'user',
    handle(ctx: AuthedContext) {
      const limit = queryInteger(ctx.query, 'limit', 1, 1000, 100);
      const offset = queryInteger(ctx.query, 'offset', 0, 1_000_000, 0);
      return ok({ jobs: ctx.deps.store.listOwnFaxJobs(ctx.auth.user.id, { limit, offset }).map(toFaxJob) });
    },
  },
  {
    method: 'GET',
    path: '/fax/jobs/{id}',
    access: 'user',
    handle(ctx: AuthedContext) {
      const job = ctx.deps.store.getOwnFaxJob(ctx.auth.user.id, ctx.params['id'] ?? '');
      if (!job) throw notFound('The fax job');
      return ok(toFaxJob(job));
    },
  },
  {
    method: 'GET',
    path: '/fax/jobs/{id}/document',
    access: 'user',
    handle(ctx: AuthedContext) {
      const job = ctx.deps.store.getOwnFaxJob(ctx.auth.user.id, ctx.params['id'] ?? '');
      const document = job ? ctx.deps.store.getFaxJobDocument(job.id) : undefined;
      return download(ctx, document, 'The fax job', `fax-${job?.id ?? 'job'}.pdf`);
    },
  },
  {
    method: 'GET',
    path: '/fax/received',
    access: 'user',
    handle(ctx: AuthedContext) {
      const limit = queryInteger(ctx.query, 'limit', 1, 1000, 100);
      const offset = queryInteger(ctx.query, 'offset', 0, 1_000_000, 0);
      return ok({ faxes: ctx.deps.store.listReceivedFaxes(ctx.auth.user.id, { limit, offset }).map(toReceivedFax) });
    },
  },
  {
    method: 'GET',
    path: '/fax/received/{id}/document',
    access: 'user',
    handle(ctx: AuthedContext) {
      const id = ctx.params['id'] ?? '';
      return download(ctx, ctx.deps.store.getReceivedFaxDocument(ctx.auth.user.id, id), 'The received fax', `fax-${id}.pdf`);
    },
  },
];

function targetFaxExtension(ctx: AuthedContext): FaxExtensionRecord {
  const record = ctx.deps.store.getFaxExtension(ctx.auth.tenant.id, ctx.params['id'] ?? '');
  if (!record) throw notFound('The fax extension');
  return record;
}

/** The admin's fax routes: provisioning fax extensions and assigning them to users. */
export const faxAdminRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/admin/fax-extensions',
    access: 'admin',
    handle: ({ deps, auth }: AuthedContext) =>
      ok({ faxExtensions: deps.store.listFaxExtensions(auth.tenant.id).map((record) => adminFaxExtensionJson(record, auth.tenant)) }),
  },
  {
    method: 'POST',
    path: '/admin/fax-extensions',
    access: 'admin',
    async handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      const body = expectObject(ctx.body, ['name', 'login', 'pin', 'extension', 'userIds']);
      const input = {
        name: requiredString(body, 'name'),
        login: requiredString(body, 'login'),
        extension: requiredString(body, 'extension'),
      };
      const pin = readPin(body, true) ?? '';
      const userIds = readUserIds(body) ?? [];
      const pinHash = await hashPassword(pin);
      // The extension and its assignments are created together or not at all.
      const record = deps.store.transaction(() => {
        const made = deps.store.createFaxExtension(auth.tenant.id, { ...input, pinHash });
        return deps.store.assignFaxExtension(auth.tenant.id, made.id, userIds);
      });
      return created(adminFaxExtensionJson(record, auth.tenant));
    },
  },
  {
    method: 'PATCH',
    path: '/admin/fax-extensions/{id}',
    access: 'admin',
    async handle(ctx: AuthedContext) {
      const { deps, auth } = ctx;
      const current = targetFaxExtension(ctx);
      const body = expectObject(ctx.body, ['name', 'pin', 'userIds']);
      const name = optionalString(body, 'name');
      const pin = readPin(body, false);
      const userIds = readUserIds(body);
      const pinHash = pin === undefined ? undefined : await hashPassword(pin);
      const record = deps.store.transaction(() => {
        const updated = deps.store.updateFaxExtension(auth.tenant.id, current.id, {
          ...(name === undefined ? {} : { name }),
          ...(pinHash === undefined ? {} : { pinHash }),
        });
        return userIds === undefined ? updated : deps.store.assignFaxExtension(auth.tenant.id, current.id, userIds);
      });
      return ok(adminFaxExtensionJson(record, auth.tenant));
    },
  },
  {
    method: 'DELETE',
    path: '/admin/fax-extensions/{id}',
    access: 'admin',
    handle(ctx: AuthedContext) {
      const current = targetFaxExtension(ctx);
      ctx.deps.store.deleteFaxExtension(ctx.auth.tenant.id, current.id);
      return noContent();
    },
  },
];
