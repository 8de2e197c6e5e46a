import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { msg, str } from '@lit/localize';
import type { Favorite, FavoriteInput, FavoriteType } from '../../core/api/index.js';
import type { ClientArea } from '../../core/client/index.js';
import { isCentrexError } from '../../core/errors.js';
import type { LineState } from '../../core/presence/index.js';
import { CentrexElement } from '../shared/centrex-element.js';
import { errorText } from '../shared/error-text.js';
import { currentLanguage } from '../shared/localize.js';
import { controls, tokens } from '../shared/styles.js';
import '../presence/centrex-presence.js';
import { requestCall } from '../shared/call-request.js';
import { favoritesStyles } from './favorites.styles.js';

/**
 * The drag data type a favorite carries: JSON `{ target, name }`. A drop zone (the call area, the call bar) reads it
 * to call or transfer; `text/plain` carries the bare target for drop zones that know nothing of Centrex.
 */
export const FAVORITE_DRAG_TYPE = 'application/x-centrex-target';

/** What {@link FAVORITE_DRAG_TYPE} holds. */
export interface FavoriteDragData {
  /** The extension, number or star code to dial. */
  readonly target: string;
  /** The key's name. */
  readonly name: string;
}

// Only used while reordering by drag and drop inside one list; carries the key's id.
const REORDER_DRAG_TYPE = 'application/x-centrex-favorite-id';

const TYPES: readonly FavoriteType[] = ['blf', 'speed-dial', 'star-code'];

type FormField = 'name' | 'type' | 'target';
const FORM_FIELDS: readonly FormField[] = ['name', 'type', 'target'];

/** The form's mode: adding a key, or changing the key with this id. */
type FormMode = { readonly mode: 'add' } | { readonly mode: 'edit'; readonly id: string };

/**
 * The user's favorites (function keys, manual B.1 "Favoritenliste" and B.3 "Funktionstasten") in position order.
 * BLF keys show the colleague's line as a lamp (free, ringing, calling, on the phone) and their availability;
 * activating a key calls its target, and a star-code key dials its code. Each key can be dragged onto a drop zone
 * that understands {@link FAVORITE_DRAG_TYPE} (the call area calls, the call bar transfers).
 *
 * In edit mode the user adds, changes, deletes and reorders keys, with buttons (keyboard) or by drag and drop. Values
 * the PBX rejects are reported next to the field concerned.
 *
 * Line states come from the web phone's BLF subscriptions, so they show only on a client with a web phone.
 *
 * @summary Function keys with busy lamps; click to call, drag to call or transfer.
 * @fires centrex-call - before a key calls (cancelable: `preventDefault()` stops the call); detail `CallRequestDetail`
 * @csspart base - the whole element (a section labelled by its heading)
 * @csspart header - the heading row with the edit button
 * @csspart heading - the list's heading
 * @csspart edit-button - the button that switches edit mode
 * @csspart list - the list of keys
 * @csspart item - one key with its edit buttons
 * @csspart key - the button that calls (and is dragged)
 * @csspart lamp - the line state lamp (`data-line` is `idle`, `ringing`, `calling`, `busy`, `unknown` or `none`)
 * @csspart name - the key's name
 * @csspart target - the key's target
 * @csspart presence - the availability badge of a BLF key
 * @csspart actions - the edit buttons of a key
 * @csspart form - the add / change form
 * @csspart status - messages (saved, errors)
 * @cssprop --centrex-favorites-lamp-idle - lamp colour when the line is free
 * @cssprop --centrex-favorites-lamp-ringing - lamp colour while a call rings on the line (blinks)
 * @cssprop --centrex-favorites-lamp-calling - lamp colour while the line is placing a call
 * @cssprop --centrex-favorites-lamp-busy - lamp colour while the line is in a call
 * @cssprop --centrex-favorites-lamp-unknown - lamp colour while the state is not known
 * @cssprop --centrex-favorites-key-width - smallest width of a key (default 11rem)
 */
export class CentrexFavorites extends CentrexElement {
  static override clientAreas: readonly ClientArea[] = ['favorites', 'presence', 'me'];
  static override styles = [tokens, controls, favoritesStyles];

  /** Whether the list is in edit mode (add, change, delete, reorder). */
  @property({ type: Boolean, reflect: true }) editing = false;

  @state() private form: FormMode | undefined;
  @state() private formType: FavoriteType = 'blf';
  @state() private fieldErrors: Partial<Record<FormField, string>> = {};
  @state() private formError = '';
  @state() private status = '';
  @state() private busy = false;
  @state() private dropIndex: number | undefined;

  @query('form') private formElement!: HTMLFormElement | null;

  #dragFrom: number | undefined;
  // After a change re-renders the list, focus goes back to this control (the keys' ids change on reorder).
  #focusAfterUpdate: string | undefined;

  /** The keys shown, by position. */
  get favorites(): readonly Favorite[] {
    return this.activeClient?.favorites ?? [];
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (this.#focusAfterUpdate !== undefined) {
      const target = this.renderRoot.querySelector<HTMLElement>(this.#focusAfterUpdate);
      if (target !== null) {
        this.#focusAfterUpdate = undefined;
        target.focus();
      }
    }
  }

  protected override render() {
    const favorites = this.favorites;
    return html`
      <section part="base" aria-labelledby="heading">
        <div part="header">
          <h2 id="heading" part="heading">${msg('Favorites', { id: 'favorites.heading' })}</h2>
          <button
            type="button"
            part="edit-button"
            class="edit-toggle"
            aria-pressed=${this.editing ? 'true' : 'false'}
            @click=${this.#toggleEditing}
          >
            ${msg('Edit favorites', { id: 'favorites.edit' })}
          </button>
        </div>
        ${favorites.length === 0
          ? html`<p class="empty">${msg('No favorites yet.', { id: 'favorites.empty' })}</p>`
          : html`<ul part="list" class="plain" aria-labelledby="heading">
              ${favorites.map((favorite, index) => this.#renderItem(favorite, index, favorites.length))}
            </ul>`}
        ${this.editing ? this.#renderEditTools() : nothing}
        <p part="status" role="status">${this.status}</p>
      </section>
    `;
  }

  #renderItem(favorite: Favorite, index: number, count: number) {
    const client = this.activeClient;
    const blf = favorite.type === 'blf';
    const line: LineState | undefined = blf ? client?.lineState(favorite.target) : undefined;
    const availability = blf ? client?.availability(favorite.target) : undefined;
    const lamp = blf ? (line ?? 'unknown') : 'none';
    return html`
      <li
        part="item"
        class=${this.dropIndex === index ? 'drop-target' : ''}
        data-id=${favorite.id}
        @dragover=${(event: DragEvent) => this.#onDragOver(event, index)}
        @dragleave=${() => (this.dropIndex = undefined)}
        @drop=${(event: DragEvent) => void this.#onDrop(event, index)}
      >
        <button
          type="button"
          part="key"
          class="key"
          data-index=${index}
          data-type=${favorite.type}
          draggable="true"
          ?disabled=${client === undefined}
          @click=${() => void this.#call(favorite)}
          @dragstart=${(event: DragEvent) => this.#onDragStart(event, favorite, index)}
          @dragend=${this.#onDragEnd}
        >
          <span part="lamp" class="lamp" data-line=${lamp} aria-hidden="true"></span>
          <span part="name">${favorite.name}</span>
          <span part="target">${favorite.target}</span>
          ${blf ? html`<span class="visually-hidden">, ${this.#lineText(line)}</span>` : nothing}
          ${this.editing ? html`<span class="visually-hidden">, ${this.#typeText(favorite.type)}</span>` : nothing}
          ${availability === undefined
            ? nothing
            : html`<centrex-presence part="presence" compact lang=${currentLanguage()} availability=${availability}></centrex-presence>`}
        </button>
        ${this.editing
          ? html`<div part="actions" class="actions">
              <button
                type="button"
                class="move-up"
                data-index=${index}
                aria-label=${msg(str`Move ${favorite.name} up`, { id: 'favorites.move-up' })}
                ?disabled=${index === 0 || this.busy}
                @click=${() => void this.#move(index, index - 1, 'move-up')}
              >
                <span aria-hidden="true">↑</span>
              </button>
              <button
                type="button"
                class="move-down"
                data-index=${index}
                aria-label=${msg(str`Move ${favorite.name} down`, { id: 'favorites.move-down' })}
                ?disabled=${index === count - 1 || this.busy}
                @click=${() => void this.#move(index, index + 1, 'move-down')}
              >
                <span aria-hidden="true">↓</span>
              </button>
              <button
                type="button"
                class="change"
                aria-label=${msg(str`Change ${favorite.name}`, { id: 'favorites.change' })}
                ?disabled=${this.busy}
                @click=${() => this.#openForm({ mode: 'edit', id: favorite.id }, favorite.type)}
              >
                ${msg('Change', { id: 'favorites.change-short' })}
              </button>
              <button
                type="button"
                class="delete danger"
                aria-label=${msg(str`Delete ${favorite.name}`, { id: 'favorites.delete' })}
                ?disabled=${this.busy}
                @click=${() => void this.#delete(favorite)}
              >
                ${msg('Delete', { id: 'favorites.delete-short' })}
              </button>
            </div>`
          : nothing}
      </li>
    `;
  }

  #renderEditTools() {
    if (this.form === undefined) {
      return html`<p class="buttons">
        <button type="button" class="add primary" @click=${() => this.#openForm({ mode: 'add' }, 'blf')}>
          ${msg('Add favorite', { id: 'favorites.add' })}
        </button>
      </p>`;
    }
    const form = this.form;
    const current = form.mode === 'edit' ? this.favorites.find((item) => item.id === form.id) : undefined;
    const errors = this.fieldErrors;
    const invalid = (name: FormField) => (errors[name] === undefined ? 'false' : 'true');
    const errorId = (name: FormField) => (errors[name] === undefined ? undefined : `${name}-error`);
    return html`
      <form part="form" novalidate @submit=${this.#submit} @keydown=${this.#formKeydown}>
        <h3 class="visually-hidden">
          ${form.mode === 'add' ? msg('Add favorite', { id: 'favorites.add' }) : msg('Change favorite', { id: 'favorites.change-title' })}
        </h3>
        <div class="field">
          <label for="name">${msg('Name', { id: 'favorites.field-name' })}</label>
          <input
            id="name"
            name="name"
            required
            maxlength="100"
            autocomplete="off"
            .value=${current?.name ?? ''}
            aria-invalid=${invalid('name')}
            aria-describedby=${ifDefined(errorId('name'))}
          />
          ${this.#fieldError('name')}
        </div>
        <div class="field">
          <label for="type">${msg('Type', { id: 'favorites.field-type' })}</label>
          <select
            id="type"
            name="type"
            aria-invalid=${invalid('type')}
            aria-describedby=${ifDefined(errorId('type'))}
            @change=${(event: Event) => (this.formType = (event.target as HTMLSelectElement).value as FavoriteType)}
          >
            ${TYPES.map((type) => html`<option value=${type} ?selected=${type === this.formType}>${this.#typeText(type)}</option>`)}
          </select>
          ${this.#fieldError('type')}
        </div>
        <div class="field">
          <label for="target">${msg('Target', { id: 'favorites.field-target' })}</label>
          <input
            id="target"
            name="target"
            required
            maxlength="40"
            autocomplete="off"
            .value=${current?.target ?? ''}
            aria-invalid=${invalid('target')}
            aria-describedby=${errorId('target') === undefined ? 'target-hint' : 'target-error target-hint'}
          />
          <span id="target-hint" class="hint">${this.#targetHint(this.formType)}</span>
          ${this.#fieldError('target')}
        </div>
        ${this.formError === '' ? nothing : html`<p class="error form-error" role="alert">${this.formError}</p>`}
        <div class="buttons">
          <button type="submit" class="save primary" ?disabled=${this.busy}>${msg('Save', { id: 'favorites.save' })}</button>
          <button type="button" class="cancel" @click=${this.#closeForm}>${msg('Cancel', { id: 'favorites.cancel' })}</button>
        </div>
      </form>
    `;
  }

  #fieldError(name: FormField) {
    const text = this.fieldErrors[name];
    return text === undefined ? nothing : html`<span id="${name}-error" class="error field-error" data-field=${name}>${text}</span>`;
  }

  #lineText(line: LineState | undefined): string {
    switch (line) {
      case 'idle':
        return msg('free', { id: 'favorites.line-idle' });
      case 'ringing':
        return msg('ringing', { id: 'favorites.line-ringing' });
      case 'calling':
        return msg('calling', { id: 'favorites.line-calling' });
      case 'busy':
        return msg('on the phone', { id: 'favorites.line-busy' });
      default:
        return msg('line state unknown', { id: 'favorites.line-unknown' });
    }
  }

  #typeText(type: FavoriteType): string {
    switch (type) {
      case 'blf':
        return msg('Busy lamp (BLF)', { id: 'favorites.type-blf' });
      case 'speed-dial':
        return msg('Speed dial', { id: 'favorites.type-speed-dial' });
      case 'star-code':
        return msg('Star code', { id: 'favorites.type-star-code' });
    }
  }

  #targetHint(type: FavoriteType): string {
    switch (type) {
      case 'blf':
        return msg("A colleague's extension, e.g. 12.", { id: 'favorites.hint-blf' });
      case 'speed-dial':
        return msg('An extension or a phone number.', { id: 'favorites.hint-speed-dial' });
      case 'star-code':
        return msg('* followed by digits, e.g. *80.', { id: 'favorites.hint-star-code' });
    }
  }

  #toggleEditing(): void {
    this.editing = !this.editing;
    if (!this.editing) this.#closeForm();
  }

  #openForm(mode: FormMode, type: FavoriteType): void {
    this.form = mode;
    this.formType = type;
    this.fieldErrors = {};
    this.formError = '';
    this.#focusAfterUpdate = '#name';
  }

  #closeForm(): void {
    const wasEditing = this.form?.mode === 'edit' ? this.form.id : undefined;
    this.form = undefined;
    this.fieldErrors = {};
    this.formError = '';
    // Focus returns to where the form was opened from.
    this.#focusAfterUpdate = wasEditing === undefined ? 'button.add' : `li[data-id="${CSS.escape(wasEditing)}"] button.change`;
  }

  #formKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.#closeForm();
    }
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const client = this.activeClient;
    const formElement = this.formElement;
    const mode = this.form;
    if (client === undefined || formElement === null || mode === undefined) return;
    const data = new FormData(formElement);
    const input: FavoriteInput = {
      name: String(data.get('name') ?? '').trim(),
      type: String(data.get('type') ?? 'blf') as FavoriteType,
      target: String(data.get('target') ?? '').trim(),
    };
    const missing: Partial<Record<FormField, string>> = {};
    if (input.name === '') missing.name = msg('Enter a name.', { id: 'favorites.name-missing' });
    if (input.target === '') missing.target = msg('Enter a target.', { id: 'favorites.target-missing' });
    if (Object.keys(missing).length > 0) {
      this.fieldErrors = missing;
      this.#focusAfterUpdate = missing.name === undefined ? '#target' : '#name';
      return;
    }
    this.busy = true;
    this.fieldErrors = {};
    this.formError = '';
    try {
      if (mode.mode === 'add') {
        const created = await client.addFavorite(input);
        this.status = msg(str`${created.name} added.`, { id: 'favorites.added' });
      } else {
        const updated = await client.updateFavorite(mode.id, input);
        this.status = msg(str`${updated.name} saved.`, { id: 'favorites.saved' });
      }
      this.#closeForm();
    } catch (error) {
      this.#showFormError(error);
    } finally {
      this.busy = false;
    }
  }

  /** Puts a failure next to the field the PBX names (`details.field`, possibly a dotted path), else under the form. */
  #showFormError(error: unknown): void {
    const path = isCentrexError(error) ? error.details?.['field'] : undefined;
    const last = typeof path === 'string' ? path.split('.').pop() : undefined;
    const field = FORM_FIELDS.find((name) => name === last);
    if (field === undefined) {
      this.formError = errorText(error);
    } else {
      this.fieldErrors = { [field]: errorText(error) };
      this.#focusAfterUpdate = `#${field}`;
    }
  }

  async #call(favorite: Favorite): Promise<void> {
    const client = this.activeClient;
    if (client === undefined) return;
    try {
      const placed = await requestCall(this, client, favorite.target, favorite.name, 'favorites');
      if (placed !== undefined) this.status = msg(str`Calling ${favorite.name}.`, { id: 'favorites.calling' });
    } catch (error) {
      this.status = errorText(error);
    }
  }

  async #move(from: number, to: number, focusClass: 'move-up' | 'move-down' | 'key'): Promise<void> {
    const client = this.activeClient;
    const list = [...this.favorites];
    if (client === undefined || from === to || to < 0 || to >= list.length) return;
    const [moved] = list.splice(from, 1);
    if (moved === undefined) return;
    list.splice(to, 0, moved);
    this.busy = true;
    try {
      await client.reorderFavorites(list);
      this.status = msg(str`${moved.name} is now at position ${to + 1}.`, { id: 'favorites.moved' });
      // At the top or bottom the button that was used is disabled; the key itself keeps the focus then.
      const edge = (focusClass === 'move-up' && to === 0) || (focusClass === 'move-down' && to === list.length - 1);
      this.#focusAfterUpdate = edge || focusClass === 'key' ? `button.key[data-index="${to}"]` : `button.${focusClass}[data-index="${to}"]`;
    } catch (error) {
      this.status = errorText(error);
    } finally {
      this.busy = false;
    }
  }

  async #delete(favorite: Favorite): Promise<void> {
    const client = this.activeClient;
    if (client === undefined) return;
    const index = this.favorites.indexOf(favorite);
    this.busy = true;
    try {
      await client.deleteFavorite(favorite.id);
      this.status = msg(str`${favorite.name} deleted.`, { id: 'favorites.deleted' });
      const next = Math.min(index, this.favorites.length - 1);
      this.#focusAfterUpdate = next < 0 ? 'button.add' : `button.key[data-index="${next}"]`;
      if (this.form?.mode === 'edit' && this.form.id === favorite.id) this.form = undefined;
    } catch (error) {
      this.status = errorText(error);
    } finally {
      this.busy = false;
    }
  }

  #onDragStart(event: DragEvent, favorite: Favorite, index: number): void {
    const transfer = event.dataTransfer;
    if (transfer === null) return;
    const data: FavoriteDragData = { target: favorite.target, name: favorite.name };
    transfer.setData(FAVORITE_DRAG_TYPE, JSON.stringify(data));
    transfer.setData('text/plain', favorite.target);
    // Drop zones decide: the call area copies (calls), the call bar links (transfers), the list itself moves.
    transfer.effectAllowed = 'all';
    if (this.editing) {
      transfer.setData(REORDER_DRAG_TYPE, favorite.id);
      this.#dragFrom = index;
    }
  }

  #onDragOver(event: DragEvent, index: number): void {
    // Only keys of this list, dragged in edit mode, can be dropped here.
    if (this.#dragFrom === undefined || !(event.dataTransfer?.types.includes(REORDER_DRAG_TYPE) ?? false)) return;
    event.preventDefault();
    if (event.dataTransfer !== null) event.dataTransfer.dropEffect = 'move';
    this.dropIndex = index;
  }

  async #onDrop(event: DragEvent, index: number): Promise<void> {
    const from = this.#dragFrom;
    if (from === undefined) return;
    event.preventDefault();
    this.#dragFrom = undefined;
    this.dropIndex = undefined;
    await this.#move(from, index, 'key');
  }

  #onDragEnd(): void {
    this.#dragFrom = undefined;
    this.dropIndex = undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-favorites': CentrexFavorites;
  }
}
