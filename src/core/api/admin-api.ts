/**
 * {@link AdminApi}: the admin endpoints of the Centrex API (manual part C), reached as `api.admin`.
 *
 * @packageDocumentation
 */
import { expectList, expectObject, pathSegment } from './check.js';
import { invalidResponse } from './errors.js';
import type { ApiCallOptions, ApiMethod, ApiRequestOptions, HttpApi } from './http-api.js';
import type {
  AdminFaxExtension,
  AdminUser,
  AdminUserUpdate,
  CreatedUser,
  FaxExtensionUpdate,
  NewFaxExtensionInput,
  NewQueueInput,
  NewRoomInput,
  NewUserInput,
  Queue,
  Room,
  TenantAdmin,
  TenantUpdate,
} from './types.js';

/**
 * The admin endpoints (`/admin/…`): users with extensions and set-password links, the tenant's settings, queues,
 * conference rooms and fax extensions. They act on the signed-in admin's own tenant; users without the admin role
 * get `api-forbidden`. Shares the session, timeouts and error mapping of the {@link HttpApi} it belongs to.
 */
export class AdminApi {
  readonly #api: HttpApi;

  /** @param api - the client whose session to use */
  constructor(api: HttpApi) {
    this.#api = api;
  }

  /** The tenant's users, by extension. */
  async listUsers(options: ApiRequestOptions = {}): Promise<readonly AdminUser[]> {
    const path = '/admin/users';
    return expectList<AdminUser>(await this.#api.request('GET', path, options), 'users', { method: 'GET', path });
  }

  /**
   * Creates a user with default forwarding and a web device; the PBX sends them a set-password link.
   * @throws CentrexError `api-conflict` (e-mail or extension taken, `details.field`), `api-validation-failed`
   */
  async createUser(user: NewUserInput, options: ApiRequestOptions = {}): Promise<CreatedUser> {
    const request = { method: 'POST', path: '/admin/users' } as const;
    const answer = expectObject(await this.#api.request(request.method, request.path, { ...options, body: user }), request);
    expectObject(answer['user'], request, 'the user');
    if (typeof answer['setPasswordLinkExpiresAt'] !== 'string') throw invalidResponse(request, 'no setPasswordLinkExpiresAt');
    return answer as unknown as CreatedUser;
  }

  /** One user of the tenant. */
  async getUser(id: string, options: ApiRequestOptions = {}): Promise<AdminUser> {
    return this.#object<AdminUser>('GET', `/admin/users/${pathSegment(id)}`, options);
  }

  /** Corrects a user's name, e-mail, extension, role or language (the last admin keeps the role: `api-conflict`). */
  async updateUser(id: string, update: AdminUserUpdate, options: ApiRequestOptions = {}): Promise<AdminUser> {
    return this.#object<AdminUser>('PATCH', `/admin/users/${pathSegment(id)}`, { ...options, body: update });
  }

  /** Deletes a user and everything that belongs to them (not oneself: `api-forbidden`). */
  async deleteUser(id: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#api.request('DELETE', `/admin/users/${pathSegment(id)}`, options);
  }

  /** Issues a new set-password link for a user (earlier unused links stop working). @returns when it expires */
  async sendPasswordLink(id: string, options: ApiRequestOptions = {}): Promise<{ readonly setPasswordLinkExpiresAt: string }> {
    const request = { method: 'POST', path: `/admin/users/${pathSegment(id)}/password-link` } as const;
    const answer = expectObject(await this.#api.request(request.method, request.path, options), request);
    if (typeof answer['setPasswordLinkExpiresAt'] !== 'string') throw invalidResponse(request, 'no setPasswordLinkExpiresAt');
    return { setPasswordLinkExpiresAt: answer['setPasswordLinkExpiresAt'] };
  }

  /** The tenant's settings: allowed origins, toll-fraud policy, call cap. */
  async getTenant(options: ApiRequestOptions = {}): Promise<TenantAdmin> {
    return this.#object<TenantAdmin>('GET', '/admin/tenant', options);
  }

  /** Changes the tenant's name, allowed origins, toll-fraud policy or per-user call cap. */
  async updateTenant(update: TenantUpdate, options: ApiRequestOptions = {}): Promise<TenantAdmin> {
    return this.#object<TenantAdmin>('PATCH', '/admin/tenant', { ...options, body: update });
  }

  /** Creates a queue. */
  async createQueue(queue: NewQueueInput, options: ApiRequestOptions = {}): Promise<Queue> {
    return this.#object<Queue>('POST', '/admin/queues', { ...options, body: queue });
  }

  /** Deletes a queue. */
  async deleteQueue(id: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#api.request('DELETE', `/admin/queues/${pathSegment(id)}`, options);
  }

  /** Creates a conference room with a PIN of 4 to 10 digits. */
  async createRoom(room: NewRoomInput, options: ApiRequestOptions = {}): Promise<Room> {
    return this.#object<Room>('POST', '/admin/rooms', { ...options, body: room });
  }

  /** Deletes a conference room. */
  async deleteRoom(id: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#api.request('DELETE', `/admin/rooms/${pathSegment(id)}`, options);
  }

  /** The tenant's fax extensions with their assigned and linked users. */
  async listFaxExtensions(options: ApiRequestOptions = {}): Promise<readonly AdminFaxExtension[]> {
    const path = '/admin/fax-extensions';
    return expectList<AdminFaxExtension>(await this.#api.request('GET', path, options), 'faxExtensions', { method: 'GET', path });
  }

  /**
   * Provisions a fax extension with a login and a PIN (4 to 10 digits, stored only as a hash) and assigns it to
   * users, who then link it with that login and PIN.
   * @throws CentrexError `api-conflict` (login or extension taken, `details.field`), `api-validation-failed`
   */
  async createFaxExtension(input: NewFaxExtensionInput, options: ApiRequestOptions = {}): Promise<AdminFaxExtension> {
    return this.#object<AdminFaxExtension>('POST', '/admin/fax-extensions', { ...options, body: input });
  }

  /** Renames a fax extension, gives it a new PIN, or replaces the users it is assigned to (`userIds`). */
  async updateFaxExtension(id: string, update: FaxExtensionUpdate, options: ApiRequestOptions = {}): Promise<AdminFaxExtension> {
    return this.#object<AdminFaxExtension>('PATCH', `/admin/fax-extensions/${pathSegment(id)}`, { ...options, body: update });
  }

  /** Deletes a fax extension with its sent and received faxes. */
  async deleteFaxExtension(id: string, options: ApiRequestOptions = {}): Promise<void> {
    await this.#api.request('DELETE', `/admin/fax-extensions/${pathSegment(id)}`, options);
  }

  async #object<T>(method: ApiMethod, path: string, options: ApiCallOptions): Promise<T> {
    return expectObject(await this.#api.request(method, path, options), { method, path }) as T;
  }
}
