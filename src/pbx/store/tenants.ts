/**
 * Tenants (companies): dial plan, SIP domain, allowed origins and toll-fraud policy.
 * @packageDocumentation
 */
import type { CountryCode } from 'libphonenumber-js';
import { checkDialPlan, normalizeNumber } from '../../core/numbers/index.js';
import { bit, cleanText, newId, notFound, parseJson, type StoreContext } from './context.js';
import { StoreError } from './errors.js';
import type { NewTenant, Tenant, TenantUpdate } from './types.js';

interface TenantRow {
  id: string;
  name: string;
  country: string;
  main_number: string | null;
  ext_min: number;
  ext_max: number;
  sip_domain: string;
  allowed_origins: string;
  allow_international: number;
  allow_premium: number;
  max_concurrent_calls: number;
  created_at: number;
}

/** The tenant part of {@link Store}. */
export interface TenantStore {
  /**
   * Creates a tenant.
   * @throws StoreError `validation-failed` for a bad dial plan, domain or origin; `conflict` when the SIP domain is taken
   */
  createTenant(input: NewTenant): Tenant;
  /** A tenant by id. */
  getTenant(id: string): Tenant | undefined;
  /** All tenants, oldest first. */
  listTenants(): Tenant[];
  /** The tenant whose SIP domain (= digest realm) this is, compared without case; for the registrar and proxy. */
  findTenantBySipDomain(domain: string): Tenant | undefined;
  /** Whether any tenant allows this origin (used for CORS preflights, which carry no credentials). */
  isOriginAllowedByAnyTenant(origin: string): boolean;
  /**
   * Changes a tenant's name, allowed origins, toll-fraud policy or call cap.
   * @throws StoreError `not-found`, `validation-failed`
   */
  updateTenant(id: string, update: TenantUpdate): Tenant;
}

function toTenant(row: TenantRow): Tenant {
  const origins = parseJson(row.allowed_origins, []);
  return {
    id: row.id,
    name: row.name,
    dialPlan: {
      country: row.country as CountryCode,
      extensionDigits: [row.ext_min, row.ext_max],
      mainNumber: row.main_number,
    },
    sipDomain: row.sip_domain,
    allowedOrigins: Array.isArray(origins) ? origins.filter((o): o is string => typeof o === 'string') : [],
    tollFraud: { allowInternational: row.allow_international === 1, allowPremium: row.allow_premium === 1 },
    maxConcurrentCalls: row.max_concurrent_calls,
    createdAt: row.created_at,
  };
}

/**
 * Checks an origin as browsers send it: scheme, host and optional port, nothing else (`https://crm.example.com`).
 * Returns it in the canonical form the `Origin` header uses.
 */
export function cleanOrigin(value: unknown, field = 'allowedOrigins'): string {
  if (typeof value !== 'string') throw new StoreError('validation-failed', 'An origin must be text.', { field });
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new StoreError('validation-failed', `"${value}" is not an origin such as https://intranet.example.com.`, { field });
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== value.replace(/\/$/, '')) {
    throw new StoreError(
      'validation-failed',
      `"${value}" is not an origin: give scheme, host and port only, e.g. https://intranet.example.com.`,
      { field },
    );
  }
  return url.origin;
}

function cleanOrigins(values: readonly unknown[]): string[] {
  if (!Array.isArray(values) || values.length > 50) {
    throw new StoreError('validation-failed', 'Give at most 50 allowed origins.', { field: 'allowedOrigins' });
  }
  return [...new Set(values.map((value, index) => cleanOrigin(value, `allowedOrigins.${index}`)))];
}

function cleanDomain(value: unknown): string {
  const domain = cleanText(value, 'sipDomain', { max: 253 }).toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(domain)) {
    throw new StoreError('validation-failed', `"${domain}" is not a domain name.`, { field: 'sipDomain' });
  }
  return domain;
}

function cleanCallCap(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100) {
    throw new StoreError('validation-failed', 'maxConcurrentCalls must be a whole number from 1 to 100.', {
      field: 'maxConcurrentCalls',
    });
  }
  return value;
}

/** Builds the tenant part of the store. */
export function tenantStore(ctx: StoreContext): TenantStore {
  const byId = (id: string): Tenant | undefined => {
    const row = ctx.sql<[string], TenantRow>('SELECT * FROM tenants WHERE id = ?').get(id);
    return row ? toTenant(row) : undefined;
  };

  return {
    createTenant(input) {
      const name = cleanText(input.name, 'name', { max: 200 });
      const extensionDigits = input.extensionDigits ?? [2, 4];
      try {
        checkDialPlan({ country: input.country, extensionDigits });
      } catch (error) {
        throw new StoreError('validation-failed', error instanceof Error ? error.message : 'Bad dial plan.', {
          field: 'country',
          cause: error,
        });
      }
      let mainNumber: string | null = null;
      if (input.mainNumber !== undefined && input.mainNumber !== null) {
        const normalized = normalizeNumber(input.mainNumber, { country: input.country, extensionDigits });
        if (normalized.kind !== 'external') {
          throw new StoreError('validation-failed', `"${input.mainNumber}" is not a phone number.`, { field: 'mainNumber' });
        }
        mainNumber = normalized.e164;
      }
      const sipDomain = cleanDomain(input.sipDomain);
      const origins = cleanOrigins(input.allowedOrigins ?? []);
      const cap = cleanCallCap(input.maxConcurrentCalls ?? 2);
      const id = newId();
      return ctx.tx(() => {
        if (ctx.sql<[string], { id: string }>('SELECT id FROM tenants WHERE sip_domain = ?').get(sipDomain)) {
          throw new StoreError('conflict', `The SIP domain ${sipDomain} is already used by another tenant.`, {
            field: 'sipDomain',
          });
        }
        ctx
          .sql<[string, string, string, string | null, number, number, string, string, number, number, number, number]>(
            `INSERT INTO tenants (id, name, country, main_number, ext_min, ext_max, sip_domain, allowed_origins,
               allow_international, allow_premium, max_concurrent_calls, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            id,
            name,
            input.country,
            mainNumber,
            extensionDigits[0],
            extensionDigits[1],
            sipDomain,
            JSON.stringify(origins),
            bit(input.allowInternational === true),
            bit(input.allowPremium === true),
            cap,
            ctx.now(),
          );
        const created = byId(id);
        if (!created) throw notFound('The new tenant');
        return created;
      });
    },

    getTenant: byId,

    listTenants() {
      return ctx.sql<[], TenantRow>('SELECT * FROM tenants ORDER BY created_at, id').all().map(toTenant);
    },

    findTenantBySipDomain(domain) {
      if (typeof domain !== 'string') return undefined;
      const row = ctx.sql<[string], TenantRow>('SELECT * FROM tenants WHERE sip_domain = ?').get(domain.trim());
      return row ? toTenant(row) : undefined;
    },

    isOriginAllowedByAnyTenant(origin) {
      // json_each reads the stored array inside SQLite; the origin is still a bound parameter.
      const row = ctx
        .sql<[string], { found: number }>(
          'SELECT 1 AS found FROM tenants, json_each(tenants.allowed_origins) WHERE json_each.value = ? LIMIT 1',
        )
        .get(origin);
      return row !== undefined;
    },

    updateTenant(id, update) {
      return ctx.tx(() => {
        const current = byId(id);
        if (!current) throw notFound('The tenant');
        const name = update.name === undefined ? current.name : cleanText(update.name, 'name', { max: 200 });
        const origins = update.allowedOrigins === undefined ? current.allowedOrigins : cleanOrigins(update.allowedOrigins);
        const cap = update.maxConcurrentCalls === undefined ? current.maxConcurrentCalls : cleanCallCap(update.maxConcurrentCalls);
        ctx
          .sql<[string, string, number, number, number, string]>(
            `UPDATE tenants SET name = ?, allowed_origins = ?, allow_international = ?, allow_premium = ?,
               max_concurrent_calls = ? WHERE id = ?`,
          )
          .run(
            name,
            JSON.stringify(origins),
            bit(update.allowInternational ?? current.tollFraud.allowInternational),
            bit(update.allowPremium ?? current.tollFraud.allowPremium),
            cap,
            id,
          );
        const updated = byId(id);
        if (!updated) throw notFound('The tenant');
        return updated;
      });
    },
  };
}
