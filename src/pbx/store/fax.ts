/**
 * Fax (manual B.3 "Fax"): fax extensions with login and PIN, their assignment to and linking by users, cover-sheet
 * templates, outgoing jobs with their documents, and received faxes.
 *
 * A job's document stays in the database until the job is done, and every state change is one committed row
 * update, so a PBX that is killed loses nothing it acknowledged: the fax service resumes queued and interrupted jobs
 * on start. Job state changes are compare-and-set on the job's revision, so two writers can never both move a job.
 * @packageDocumentation
 */
import { normalizeCoverSheet, validateCoverSheet, type CoverSheetDraft } from '../../core/fax/cover-sheet.js';
import { assertExtensionFree, cleanExtension, cleanText, newId, notFound, type StoreContext } from './context.js';
import { StoreError } from './errors.js';
import type {
  FaxCoverMode,
  FaxCoverSheetRecord,
  FaxExtensionRecord,
  FaxExtensionUpdate,
  FaxJobChange,
  FaxJobRecord,
  FaxJobStateName,
  NewFaxExtension,
  NewFaxJobRecord,
  ReceivedFaxRecord,
  Tenant,
} from './types.js';

interface FaxExtensionRow {
  id: string;
  tenant_id: string;
  name: string;
  login: string;
  extension: string;
  created_at: number;
}

interface FaxJobRow {
  id: string;
  tenant_id: string;
  owner_id: string;
  fax_extension_id: string;
  from_extension: string;
  from_number: string;
  sender_name: string;
  to_number: string;
  to_kind: string;
  cover_mode: string;
  cover_subject: string | null;
  cover_message: string | null;
  locale: string;
  pages: number;
  state: string;
  attempts: number;
  max_attempts: number;
  next_attempt_at: number;
  failure_reason: string | null;
  failure_message: string | null;
  has_rendered: number;
  revision: number;
  created_at: number;
  updated_at: number;
}

interface ReceivedRow {
  id: string;
  tenant_id: string;
  fax_extension_id: string;
  from_number: string;
  pages: number;
  job_id: string | null;
  received_at: number;
}

/** The fax part of {@link Store}. */
export interface FaxStore {
  /**
   * Creates a fax extension (admin). Its extension shares the tenant's number space with users, queues and rooms.
   * @throws StoreError `not-found` (tenant), `validation-failed`, `conflict` (login or extension taken)
   */
  createFaxExtension(tenantId: string, input: NewFaxExtension): FaxExtensionRecord;
  /** The tenant's fax extensions, by extension. */
  listFaxExtensions(tenantId: string): FaxExtensionRecord[];
  /** One fax extension of the tenant. */
  getFaxExtension(tenantId: string, id: string): FaxExtensionRecord | undefined;
  /** The fax extension with this extension in the tenant; for internal delivery. */
  findFaxExtensionByExtension(tenantId: string, extension: string): FaxExtensionRecord | undefined;
  /** The fax extension with this login in the tenant (without case), with its PIN hash to check a PIN against. */
  findFaxLogin(tenantId: string, login: string): { readonly faxExtension: FaxExtensionRecord; readonly pinHash: string } | undefined;
  /** Changes a fax extension's name or PIN. @throws StoreError `not-found`, `validation-failed` */
  updateFaxExtension(tenantId: string, id: string, update: FaxExtensionUpdate): FaxExtensionRecord;
  /**
   * Replaces the users a fax extension is assigned to. Users who stay keep their link; users who go lose it.
   * @throws StoreError `not-found`, `validation-failed` (a user id that is not of the tenant)
   */
  assignFaxExtension(tenantId: string, id: string, userIds: readonly string[]): FaxExtensionRecord;
  /** Deletes a fax extension with its jobs and received faxes. @returns whether it existed */
  deleteFaxExtension(tenantId: string, id: string): boolean;
  /**
   * Links an assigned fax extension for a user (the caller has checked login and PIN).
   * @returns false when the extension is not assigned to the user
   */
  linkFaxExtension(tenantId: string, id: string, userId: string): boolean;
  /** Unlinks a fax extension for a user. @returns whether it was linked */
  unlinkFaxExtension(tenantId: string, id: string, userId: string): boolean;
  /** The fax extensions a user has linked, by extension. */
  listLinkedFaxExtensions(userId: string): FaxExtensionRecord[];
  /** One fax extension the user has linked. */
  getLinkedFaxExtension(userId: string, id: string): FaxExtensionRecord | undefined;

  /** The user's cover sheets by name. */
  listFaxCoverSheets(userId: string): FaxCoverSheetRecord[];
  /** One of the user's cover sheets. */
  getFaxCoverSheet(userId: string, id: string): FaxCoverSheetRecord | undefined;
  /**
   * Saves a cover sheet with the core's rules (`validateCoverSheet`): a name, unique for the user without case;
   * lengths that keep it on one page.
   * @throws StoreError `validation-failed`, `conflict` (name taken)
   */
  createFaxCoverSheet(userId: string, draft: CoverSheetDraft): FaxCoverSheetRecord;
  /** Replaces a cover sheet. @throws StoreError `not-found`, `validation-failed`, `conflict` */
  updateFaxCoverSheet(userId: string, id: string, draft: CoverSheetDraft): FaxCoverSheetRecord;
  /** Deletes a cover sheet. @returns whether it existed */
  deleteFaxCoverSheet(userId: string, id: string): boolean;

  /**
   * Stores a new job in state `queued`, due at once. The caller has checked the document and the destination.
   * @throws StoreError `not-found` (tenant or fax extension)
   */
  createFaxJobRecord(input: NewFaxJobRecord): FaxJobRecord;
  /** A job by id, for the fax service (no owner check). */
  getFaxJobRecord(jobId: string): FaxJobRecord | undefined;
  /** One of the user's jobs. */
  getOwnFaxJob(ownerId: string, jobId: string): FaxJobRecord | undefined;
  /** The user's jobs, newest first. */
  listOwnFaxJobs(ownerId: string, options?: { limit?: number; offset?: number }): FaxJobRecord[];
  /** The document of a job: the final one once rendered, else the one submitted. */
  getFaxJobDocument(jobId: string): Uint8Array | undefined;
  /** The document as it was submitted (without a rendered cover page). */
  getFaxJobSourceDocument(jobId: string): Uint8Array | undefined;
  /** Stores the final document (with its rendered cover page) and its page count. */
  setFaxJobRendered(jobId: string, document: Uint8Array, pages: number): void;
  /** Queued jobs due at `now`, oldest first, at most `limit`, leaving out `exclude`. */
  dueFaxJobs(now: number, limit: number, exclude?: readonly string[]): FaxJobRecord[];
  /** Jobs left in `sending` (a PBX that stopped in the middle of an attempt). */
  sendingFaxJobs(): FaxJobRecord[];
  /** When the next queued job is due, if any. */
  nextFaxJobDue(): number | undefined;
  /**
   * Writes a state change if the job is still at `expectedRevision`.
   * @returns false when someone else changed it first (nothing was written)
   */
  changeFaxJob(jobId: string, expectedRevision: number, change: FaxJobChange): boolean;
  /**
   * Delivers a job to a fax extension of its tenant: the received fax and the job's change are written together,
   * and a job can land only once (a repeated delivery of the same job changes nothing and returns the first).
   * @returns the received fax, or undefined when the job had moved on (its revision changed)
   */
  deliverFaxJobInternally(
    jobId: string,
    expectedRevision: number,
    change: FaxJobChange,
    delivery: { readonly faxExtensionId: string; readonly from: string; readonly pages: number; readonly document: Uint8Array },
  ): ReceivedFaxRecord | undefined;

  /** The faxes received by the fax extensions the user has linked, newest first. */
  listReceivedFaxes(userId: string, options?: { limit?: number; offset?: number }): ReceivedFaxRecord[];
  /** One received fax, if it arrived at a fax extension the user has linked. */
  getReceivedFax(userId: string, id: string): ReceivedFaxRecord | undefined;
  /** The document of a received fax the user may see. */
  getReceivedFaxDocument(userId: string, id: string): Uint8Array | undefined;
  /** The users who have a fax extension linked (they are told about received faxes). */
  usersLinkedToFaxExtension(faxExtensionId: string): string[];
}

const LOGIN = /^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$/;
const STATES: readonly FaxJobStateName[] = ['queued', 'sending', 'sent', 'failed'];
const COVER_MODES: readonly FaxCoverMode[] = ['none', 'render', 'included'];

function loginKey(login: string): string {
  return login.trim().toLowerCase();
}

function cleanLogin(value: unknown): string {
  const login = cleanText(value, 'login', { max: 64 });
  if (!LOGIN.test(login)) {
    throw new StoreError(
      'validation-failed',
      'A fax login is 3 to 64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit.',
      { field: 'login' },
    );
  }
  return login;
}

// Jobs are listed without their documents: the blobs are read only when sent or downloaded.
const JOB_COLUMNS = `id, tenant_id, owner_id, fax_extension_id, from_extension, from_number, sender_name, to_number,
  to_kind, cover_mode, cover_subject, cover_message, locale, pages, state, attempts, max_attempts, next_attempt_at,
  failure_reason, failure_message, (rendered IS NOT NULL) AS has_rendered, revision, created_at, updated_at`;

function toJob(row: FaxJobRow): FaxJobRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    ownerId: row.owner_id,
    faxExtensionId: row.fax_extension_id,
    fromExtension: row.from_extension,
    fromNumber: row.from_number,
    senderName: row.sender_name,
    to: row.to_number,
    toKind: row.to_kind === 'internal' ? 'internal' : 'external',
    cover: {
      mode: COVER_MODES.includes(row.cover_mode as FaxCoverMode) ? (row.cover_mode as FaxCoverMode) : 'none',
      subject: row.cover_subject,
      message: row.cover_message,
    },
    locale: row.locale,
    pages: row.pages,
    state: STATES.includes(row.state as FaxJobStateName) ? (row.state as FaxJobStateName) : 'failed',
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    nextAttemptAt: row.next_attempt_at,
    failure: row.failure_reason === null ? null : { reason: row.failure_reason, message: row.failure_message },
    rendered: row.has_rendered === 1,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toReceived(row: ReceivedRow): ReceivedFaxRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    faxExtensionId: row.fax_extension_id,
    from: row.from_number,
    pages: row.pages,
    jobId: row.job_id,
    receivedAt: row.received_at,
  };
}

function bytes(value: Buffer | undefined | null): Uint8Array | undefined {
  return value ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : undefined;
}

function page(options: { limit?: number; offset?: number } | undefined): [number, number] {
  const limit = Math.min(Math.max(Math.trunc(options?.limit ?? 100), 1), 1000);
  const offset = Math.max(Math.trunc(options?.offset ?? 0), 0);
  return [limit, offset];
}

/** Checks a cover sheet with the core's rules and turns the first problem into a store error. */
function cleanCoverSheet(draft: CoverSheetDraft): CoverSheetDraft {
  const clean = normalizeCoverSheet({
    name: typeof draft.name === 'string' ? draft.name : '',
    subject: typeof draft.subject === 'string' ? draft.subject : '',
    message: typeof draft.message === 'string' ? draft.message : '',
  });
  // Duplicates are found by the unique index (inside the transaction), so only the sheet itself is checked here.
  const issue = validateCoverSheet(clean)[0];
  if (issue) {
    const text = {
      required: `The cover sheet needs a ${issue.field}.`,
      'too-long': `The ${issue.field} of the cover sheet is too long.`,
      'too-many-lines': 'The message of the cover sheet has too many lines to fit on one page.',
      duplicate: 'A cover sheet with this name exists already.',
    }[issue.problem];
    throw new StoreError('validation-failed', text, { field: issue.field });
  }
  for (const field of ['name', 'subject', 'message'] as const) {
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(clean[field])) {
      throw new StoreError('validation-failed', `The ${field} of the cover sheet contains control characters.`, { field });
    }
  }
  return clean;
}

/** Builds the fax part of the store. */
export function faxStore(ctx: StoreContext, getTenant: (id: string) => Tenant | undefined): FaxStore {
  const membersOf = (faxId: string): { assigned: string[]; linked: string[] } => {
    const rows = ctx
      .sql<[string], { user_id: string; linked_at: number | null }>(
        'SELECT user_id, linked_at FROM fax_assignments WHERE fax_extension_id = ? ORDER BY created_at, user_id',
      )
      .all(faxId);
    return { assigned: rows.map((row) => row.user_id), linked: rows.filter((row) => row.linked_at !== null).map((row) => row.user_id) };
  };
  const toExtension = (row: FaxExtensionRow): FaxExtensionRecord => {
    const { assigned, linked } = membersOf(row.id);
    return {
      id: row.id,
      tenantId: row.tenant_id,
      name: row.name,
      login: row.login,
      extension: row.extension,
      assignedUserIds: assigned,
      linkedUserIds: linked,
      createdAt: row.created_at,
    };
  };
  const extensionRow = (tenantId: string, id: string): FaxExtensionRow | undefined =>
    ctx.sql<[string, string], FaxExtensionRow>('SELECT * FROM fax_extensions WHERE id = ? AND tenant_id = ?').get(id, tenantId);
  const requireExtension = (tenantId: string, id: string): FaxExtensionRecord => {
    const row = extensionRow(tenantId, id);
    if (!row) throw notFound('The fax extension');
    return toExtension(row);
  };
  const coverRow = (userId: string, id: string): FaxCoverSheetRecord | undefined =>
    ctx
      .sql<[string, string], FaxCoverSheetRecord>(
        `SELECT id, user_id AS userId, name, subject, message, created_at AS createdAt
         FROM fax_cover_sheets WHERE id = ? AND user_id = ?`,
      )
      .get(id, userId);
  const jobById = (jobId: string): FaxJobRecord | undefined => {
    const row = ctx.sql<[string], FaxJobRow>(`SELECT ${JOB_COLUMNS} FROM fax_jobs WHERE id = ?`).get(jobId);
    return row ? toJob(row) : undefined;
  };
  const change = (jobId: string, expectedRevision: number, next: FaxJobChange): boolean =>
    ctx
      .sql<[string, number, number, number | null, string | null, string | null, number, string, number]>(
        `UPDATE fax_jobs SET state = ?, attempts = ?, revision = ?, next_attempt_at = coalesce(?, next_attempt_at),
           failure_reason = ?, failure_message = ?, updated_at = ?
         WHERE id = ? AND revision = ?`,
      )
      .run(
        next.state,
        next.attempts,
        next.revision,
        next.nextAttemptAt ?? null,
        next.failure?.reason ?? null,
        next.failure?.message ?? null,
        next.updatedAt,
        jobId,
        expectedRevision,
      ).changes === 1;
  // Visible received faxes: those of fax extensions the user has linked (a link is what grants access).
  const RECEIVED_VISIBLE = `SELECT r.id, r.tenant_id, r.fax_extension_id, r.from_number, r.pages, r.job_id, r.received_at
    FROM fax_received r JOIN fax_assignments a ON a.fax_extension_id = r.fax_extension_id
    WHERE a.user_id = ? AND a.linked_at IS NOT NULL`;

  return {
    createFaxExtension(tenantId, input) {
      const tenant = getTenant(tenantId);
      if (!tenant) throw notFound('The tenant');
      const name = cleanText(input.name, 'name', { max: 100 });
      const login = cleanLogin(input.login);
      const extension = cleanExtension(input.extension, tenant);
      const id = newId();
      return ctx.tx(() => {
        assertExtensionFree(ctx, tenantId, extension);
        const taken = ctx
          .sql<[string, string], { id: string }>('SELECT id FROM fax_extensions WHERE tenant_id = ? AND login_key = ?')
          .get(tenantId, loginKey(login));
        if (taken) throw new StoreError('conflict', `The fax login ${login} is already in use.`, { field: 'login' });
        ctx
          .sql<[string, string, string, string, string, string, string, number]>(
            `INSERT INTO fax_extensions (id, tenant_id, name, login, login_key, pin_hash, extension, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, tenantId, name, login, loginKey(login), input.pinHash, extension, ctx.now());
        return requireExtension(tenantId, id);
      });
    },

    listFaxExtensions(tenantId) {
      return ctx
        .sql<[string], FaxExtensionRow>('SELECT * FROM fax_extensions WHERE tenant_id = ? ORDER BY length(extension), extension')
        .all(tenantId)
        .map(toExtension);
    },

    getFaxExtension(tenantId, id) {
      const row = extensionRow(tenantId, id);
      return row ? toExtension(row) : undefined;
    },

    findFaxExtensionByExtension(tenantId, extension) {
      const row = ctx
        .sql<[string, string], FaxExtensionRow>('SELECT * FROM fax_extensions WHERE tenant_id = ? AND extension = ?')
        .get(tenantId, extension);
      return row ? toExtension(row) : undefined;
    },

    findFaxLogin(tenantId, login) {
      if (typeof login !== 'string') return undefined;
      const row = ctx
        .sql<[string, string], FaxExtensionRow & { pin_hash: string }>('SELECT * FROM fax_extensions WHERE tenant_id = ? AND login_key = ?')
        .get(tenantId, loginKey(login));
      return row ? { faxExtension: toExtension(row), pinHash: row.pin_hash } : undefined;
    },

    updateFaxExtension(tenantId, id, update) {
      return ctx.tx(() => {
        const current = requireExtension(tenantId, id);
        const name = update.name === undefined ? current.name : cleanText(update.name, 'name', { max: 100 });
        ctx.sql<[string, string]>('UPDATE fax_extensions SET name = ? WHERE id = ?').run(name, id);
        if (update.pinHash !== undefined) {
          ctx.sql<[string, string]>('UPDATE fax_extensions SET pin_hash = ? WHERE id = ?').run(update.pinHash, id);
        }
        return requireExtension(tenantId, id);
      });
    },

    assignFaxExtension(tenantId, id, userIds) {
      return ctx.tx(() => {
        requireExtension(tenantId, id);
        const wanted = [...new Set(userIds)];
        wanted.forEach((userId, index) => {
          const user = ctx.sql<[string, string], { id: string }>('SELECT id FROM users WHERE id = ? AND tenant_id = ?').get(userId, tenantId);
          if (!user) throw new StoreError('validation-failed', 'Assign the fax extension to users of your company only.', { field: `userIds.${index}` });
        });
        const current = membersOf(id).assigned;
        for (const userId of current) {
          if (!wanted.includes(userId)) {
            ctx.sql<[string, string]>('DELETE FROM fax_assignments WHERE fax_extension_id = ? AND user_id = ?').run(id, userId);
          }
        }
        for (const userId of wanted) {
          ctx
            .sql<[string, string, number]>(
              'INSERT OR IGNORE INTO fax_assignments (fax_extension_id, user_id, linked_at, created_at) VALUES (?, ?, NULL, ?)',
            )
            .run(id, userId, ctx.now());
        }
        return requireExtension(tenantId, id);
      });
    },

    deleteFaxExtension(tenantId, id) {
      return ctx.sql<[string, string]>('DELETE FROM fax_extensions WHERE id = ? AND tenant_id = ?').run(id, tenantId).changes > 0;
    },

    linkFaxExtension(tenantId, id, userId) {
      return (
        ctx
          .sql<[number, string, string, string]>(
            `UPDATE fax_assignments SET linked_at = coalesce(linked_at, ?)
             WHERE fax_extension_id = (SELECT id FROM fax_extensions WHERE id = ? AND tenant_id = ?) AND user_id = ?`,
          )
          .run(ctx.now(), id, tenantId, userId).changes > 0
      );
    },

    unlinkFaxExtension(tenantId, id, userId) {
      return (
        ctx
          .sql<[string, string, string]>(
            `UPDATE fax_assignments SET linked_at = NULL
             WHERE fax_extension_id = (SELECT id FROM fax_extensions WHERE id = ? AND tenant_id = ?) AND user_id = ?
               AND linked_at IS NOT NULL`,
          )
          .run(id, tenantId, userId).changes > 0
      );
    },

    listLinkedFaxExtensions(userId) {
      return ctx
        .sql<[string], FaxExtensionRow>(
          `SELECT f.* FROM fax_extensions f JOIN fax_assignments a ON a.fax_extension_id = f.id
           WHERE a.user_id = ? AND a.linked_at IS NOT NULL ORDER BY length(f.extension), f.extension`,
        )
        .all(userId)
        .map(toExtension);
    },

    getLinkedFaxExtension(userId, id) {
      const row = ctx
        .sql<[string, string], FaxExtensionRow>(
          `SELECT f.* FROM fax_extensions f JOIN fax_assignments a ON a.fax_extension_id = f.id
           WHERE f.id = ? AND a.user_id = ? AND a.linked_at IS NOT NULL`,
        )
        .get(id, userId);
      return row ? toExtension(row) : undefined;
    },

    listFaxCoverSheets(userId) {
      return ctx
        .sql<[string], FaxCoverSheetRecord>(
          `SELECT id, user_id AS userId, name, subject, message, created_at AS createdAt
           FROM fax_cover_sheets WHERE user_id = ? ORDER BY name COLLATE NOCASE, id`,
        )
        .all(userId);
    },

    getFaxCoverSheet: coverRow,

    createFaxCoverSheet(userId, draft) {
      const sheet = cleanCoverSheet(draft);
      const id = newId();
      return ctx.tx(() => {
        if (!ctx.sql<[string], { id: string }>('SELECT id FROM users WHERE id = ?').get(userId)) throw notFound('The user');
        assertNameFree(ctx, userId, sheet.name);
        ctx
          .sql<[string, string, string, string, string, string, number]>(
            `INSERT INTO fax_cover_sheets (id, user_id, name, name_key, subject, message, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, userId, sheet.name, nameKey(sheet.name), sheet.subject, sheet.message, ctx.now());
        const created = coverRow(userId, id);
        if (!created) throw notFound('The cover sheet');
        return created;
      });
    },

    updateFaxCoverSheet(userId, id, draft) {
      const sheet = cleanCoverSheet(draft);
      return ctx.tx(() => {
        if (!coverRow(userId, id)) throw notFound('The cover sheet');
        assertNameFree(ctx, userId, sheet.name, id);
        ctx
          .sql<[string, string, string, string, string, string]>(
            'UPDATE fax_cover_sheets SET name = ?, name_key = ?, subject = ?, message = ? WHERE id = ? AND user_id = ?',
          )
          .run(sheet.name, nameKey(sheet.name), sheet.subject, sheet.message, id, userId);
        const updated = coverRow(userId, id);
        if (!updated) throw notFound('The cover sheet');
        return updated;
      });
    },

    deleteFaxCoverSheet(userId, id) {
      return ctx.sql<[string, string]>('DELETE FROM fax_cover_sheets WHERE id = ? AND user_id = ?').run(id, userId).changes > 0;
    },

    createFaxJobRecord(input) {
      const id = newId();
      return ctx.tx(() => {
        const tenant = getTenant(input.tenantId);
        const extension = extensionRow(input.tenantId, input.faxExtensionId);
        if (!tenant || !extension) throw notFound('The fax extension');
        const fromNumber = tenant.dialPlan.mainNumber === null ? extension.extension : tenant.dialPlan.mainNumber + extension.extension;
        const now = ctx.now();
        const render = input.cover.mode === 'render';
        ctx
          .sql<
            [
              string, string, string, string, string, string, string, string, string, string,
              string | null, string | null, string, Uint8Array, number, number, number, number, number,
            ]
          >(
            `INSERT INTO fax_jobs (id, tenant_id, owner_id, fax_extension_id, from_extension, from_number, sender_name,
               to_number, to_kind, cover_mode, cover_subject, cover_message, locale, document, pages, state, attempts,
               max_attempts, next_attempt_at, revision, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, 0, ?, ?)`,
          )
          .run(
            id,
            input.tenantId,
            input.ownerId,
            input.faxExtensionId,
            extension.extension,
            fromNumber,
            input.senderName,
            input.to,
            input.toKind,
            input.cover.mode,
            render ? (input.cover.subject ?? '') : null,
            render ? (input.cover.message ?? '') : null,
            input.locale,
            input.document,
            input.pages,
            input.maxAttempts,
            now,
            now,
            now,
          );
        const created = jobById(id);
        if (!created) throw notFound('The fax job');
        return created;
      });
    },

    getFaxJobRecord: jobById,

    getOwnFaxJob(ownerId, jobId) {
      const row = ctx.sql<[string, string], FaxJobRow>(`SELECT ${JOB_COLUMNS} FROM fax_jobs WHERE id = ? AND owner_id = ?`).get(jobId, ownerId);
      return row ? toJob(row) : undefined;
    },

    listOwnFaxJobs(ownerId, options) {
      const [limit, offset] = page(options);
      return ctx
        .sql<[string, number, number], FaxJobRow>(
          `SELECT ${JOB_COLUMNS} FROM fax_jobs WHERE owner_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
        )
        .all(ownerId, limit, offset)
        .map(toJob);
    },

    getFaxJobDocument(jobId) {
      const row = ctx
        .sql<[string], { document: Buffer }>('SELECT coalesce(rendered, document) AS document FROM fax_jobs WHERE id = ?')
        .get(jobId);
      return bytes(row?.document);
    },

    getFaxJobSourceDocument(jobId) {
      return bytes(ctx.sql<[string], { document: Buffer }>('SELECT document FROM fax_jobs WHERE id = ?').get(jobId)?.document);
    },

    setFaxJobRendered(jobId, document, pages) {
      ctx.sql<[Uint8Array, number, string]>('UPDATE fax_jobs SET rendered = ?, pages = ? WHERE id = ?').run(document, pages, jobId);
    },

    dueFaxJobs(now, limit, exclude = []) {
      // The few running jobs are filtered here rather than in SQL, so the statement stays one prepared text.
      return ctx
        .sql<[number, number], FaxJobRow>(
          `SELECT ${JOB_COLUMNS} FROM fax_jobs WHERE state = 'queued' AND next_attempt_at <= ?
           ORDER BY next_attempt_at, created_at, id LIMIT ?`,
        )
        .all(now, limit + exclude.length)
        .map(toJob)
        .filter((job) => !exclude.includes(job.id))
        .slice(0, limit);
    },

    sendingFaxJobs() {
      return ctx
        .sql<[], FaxJobRow>(`SELECT ${JOB_COLUMNS} FROM fax_jobs WHERE state = 'sending' ORDER BY updated_at, id`)
        .all()
        .map(toJob);
    },

    nextFaxJobDue() {
      return (
        ctx.sql<[], { due: number | null }>("SELECT min(next_attempt_at) AS due FROM fax_jobs WHERE state = 'queued'").get()?.due ??
        undefined
      );
    },

    changeFaxJob: change,

    deliverFaxJobInternally(jobId, expectedRevision, next, delivery) {
      return ctx.tx(() => {
        const existing = ctx
          .sql<[string], ReceivedRow>('SELECT id, tenant_id, fax_extension_id, from_number, pages, job_id, received_at FROM fax_received WHERE job_id = ?')
          .get(jobId);
        const job = jobById(jobId);
        if (!job) return undefined;
        if (!change(jobId, expectedRevision, next)) return undefined;
        if (existing) return toReceived(existing);
        const id = newId();
        ctx
          .sql<[string, string, string, string, number, Uint8Array, string, number]>(
            `INSERT INTO fax_received (id, tenant_id, fax_extension_id, from_number, pages, document, job_id, received_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, job.tenantId, delivery.faxExtensionId, delivery.from, delivery.pages, delivery.document, jobId, next.updatedAt);
        return { id, tenantId: job.tenantId, faxExtensionId: delivery.faxExtensionId, from: delivery.from, pages: delivery.pages, jobId, receivedAt: next.updatedAt };
      });
    },

    listReceivedFaxes(userId, options) {
      const [limit, offset] = page(options);
      return ctx
        .sql<[string, number, number], ReceivedRow>(`${RECEIVED_VISIBLE} ORDER BY r.received_at DESC, r.id DESC LIMIT ? OFFSET ?`)
        .all(userId, limit, offset)
        .map(toReceived);
    },

    getReceivedFax(userId, id) {
      const row = ctx.sql<[string, string], ReceivedRow>(`${RECEIVED_VISIBLE} AND r.id = ?`).get(userId, id);
      return row ? toReceived(row) : undefined;
    },

    getReceivedFaxDocument(userId, id) {
      const row = ctx
        .sql<[string, string], { document: Buffer }>(
          `SELECT r.document FROM fax_received r JOIN fax_assignments a ON a.fax_extension_id = r.fax_extension_id
           WHERE a.user_id = ? AND a.linked_at IS NOT NULL AND r.id = ?`,
        )
        .get(userId, id);
      return bytes(row?.document);
    },

    usersLinkedToFaxExtension(faxExtensionId) {
      return membersOf(faxExtensionId).linked;
    },
  };
}

function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

function assertNameFree(ctx: StoreContext, userId: string, name: string, except?: string): void {
  const found = ctx
    .sql<[string, string], { id: string }>('SELECT id FROM fax_cover_sheets WHERE user_id = ? AND name_key = ?')
    .get(userId, nameKey(name));
  if (found && found.id !== except) {
    throw new StoreError('conflict', 'A cover sheet with this name exists already; choose another name.', { field: 'name' });
  }
}
