import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { msg, str } from '@lit/localize';
import type { Contact, ContactInput } from '../../core/api/index.js';
import type { ContactScope } from '../../core/directory/index.js';
import type { ClientArea } from '../../core/client/index.js';
import { isCentrexError } from '../../core/errors.js';
import { CentrexElement } from '../shared/centrex-element.js';
import { errorText } from '../shared/error-text.js';
import { dispatch } from '../shared/events.js';
import { currentLanguage, formatCount } from '../shared/localize.js';
import { controls, tokens } from '../shared/styles.js';
import { requestCall } from '../shared/call-request.js';
import { contactsStyles } from './contacts.styles.js';

/** Which address book the list shows: both, the company-wide one, or the user's own. */
export type ContactScopeFilter = 'all' | ContactScope;

/** `detail` of `centrex-contact-selected`: the user picked a contact (by its name). */
export interface ContactSelectedDetail {
  /** The contact, as the client holds it. Its texts are data: never insert them as HTML. */
  readonly contact: Contact;
}

/** One number row of the form while it is edited. */
interface NumberRow {
  readonly label: string;
  readonly number: string;
}

type FormMode = { readonly mode: 'add' } | { readonly mode: 'edit'; readonly id: string };

const SCOPE_FILTERS: readonly ContactScopeFilter[] = ['all', 'global', 'private'];

/** Lower case without accents, for the text filter ("mü" finds "Müller", "muller" too). */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The address book (manual B.2 "Kontakte"): global contacts the admin keeps for the whole company and the user's
 * private ones, in alphabetical order, filtered by address book and by text. Every number is a button that calls
 * it. Users add private contacts and change or delete their own; global contacts are read-only for them (admins
 * may change them, and choose the address book when adding).
 *
 * @summary The phone book with global and private contacts.
 * @fires centrex-contact-selected - the user picked a contact by its name ({@link ContactSelectedDetail})
 * @fires centrex-call - before a number is called (cancelable: `preventDefault()` stops the call); detail `CallRequestDetail`
 * @csspart base - the whole element (a section labelled by its heading)
 * @csspart header - the heading row with the add button
 * @csspart add-button - the button that opens the form for a new contact
 * @csspart filters - the address book filter and the text filter
 * @csspart scope-filter - the group of address book buttons
 * @csspart query - the text filter input
 * @csspart list - the list of contacts
 * @csspart contact - one contact (`aria-current="true"` when selected)
 * @csspart name - the contact's name (a button that selects it)
 * @csspart scope-tag - "Global" or "Private" (`data-scope`)
 * @csspart company - the company
 * @csspart email - the e-mail link
 * @csspart number - a number's call button
 * @csspart actions - the change and delete buttons of a writable contact
 * @csspart form - the add / change form
 * @csspart status - messages (saved, deleted, errors)
 * @cssprop --centrex-contacts-tag-global - colour of the "Global" tag
 * @cssprop --centrex-contacts-tag-private - colour of the "Private" tag
 */
export class CentrexContacts extends CentrexElement {
  static override clientAreas: readonly ClientArea[] = ['contacts', 'me'];
  static override styles = [tokens, controls, contactsStyles];

  /** Which address book to show. */
  @property({ reflect: true }) scope: ContactScopeFilter = 'all';

  /** The text filter: words of the name, company or e-mail, or digits of a number. */
  @property() query = '';

  /** The id of the selected contact, if any. */
  @property({ attribute: 'selected-id' }) selectedId: string | undefined;

  @state() private form: FormMode | undefined;
  @state() private formNumbers: readonly NumberRow[] = [];
  @state() private formScope: ContactScope = 'private';
  @state() private fieldErrors: Readonly<Record<string, string>> = {};
  @state() private formError = '';
  @state() private status = '';
  @state() private busy = false;

  @query('form') private formElement!: HTMLFormElement | null;

  #focusAfterUpdate: string | undefined;

  /** The contacts shown now: filtered by address book and text, in alphabetical order. */
  get visibleContacts(): readonly Contact[] {
    const all = this.activeClient?.contacts ?? [];
    const words = fold(this.query).split(/\s+/).filter((word) => word !== '');
    const digits = this.query.replace(/[^\d+]/g, '');
    const matches = (contact: Contact): boolean => {
      if (this.scope !== 'all' && contact.scope !== this.scope) return false;
      if (words.length === 0) return true;
      const text = fold([contact.name, contact.company ?? '', contact.email ?? '', ...contact.numbers.map((n) => n.label)].join(' '));
      if (words.every((word) => text.includes(word))) return true;
      // A number typed with other separators than stored still finds it.
      return digits.length >= 2 && /^[\d\s()+/.-]+$/.test(this.query.trim()) && contact.numbers.some((n) => n.number.replace(/[^\d+]/g, '').includes(digits));
    };
    const collator = new Intl.Collator(currentLanguage(), { sensitivity: 'base', numeric: true });
    return all.filter(matches).sort((a, b) => collator.compare(a.name, b.name) || a.scope.localeCompare(b.scope));
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
    const contacts = this.visibleContacts;
    const total = this.activeClient?.contacts.length ?? 0;
    return html`
      <section part="base" aria-labelledby="heading">
        <div part="header">
          <h2 id="heading">${msg('Contacts', { id: 'contacts.heading' })}</h2>
          <button
            type="button"
            part="add-button"
            class="add primary"
            ?disabled=${this.activeClient === undefined || this.form !== undefined}
            @click=${() => this.#openForm({ mode: 'add' })}
          >
            ${msg('Add contact', { id: 'contacts.add' })}
          </button>
        </div>
        ${this.form === undefined ? nothing : this.#renderForm(this.form)}
        <div part="filters">
          <div part="scope-filter" role="group" aria-label=${msg('Address book', { id: 'contacts.scope-filter' })}>
            ${SCOPE_FILTERS.map(
              (scope) => html`<button
                type="button"
                class="scope"
                data-scope=${scope}
                aria-pressed=${this.scope === scope ? 'true' : 'false'}
                @click=${() => (this.scope = scope)}
              >
                ${this.#scopeFilterText(scope)}
              </button>`,
            )}
          </div>
          <input
            part="query"
            type="search"
            autocomplete="off"
            aria-label=${msg('Filter contacts', { id: 'contacts.filter' })}
            placeholder=${msg('Filter contacts', { id: 'contacts.filter' })}
            .value=${this.query}
            @input=${(event: Event) => (this.query = (event.target as HTMLInputElement).value)}
          />
        </div>
        ${contacts.length === 0
          ? html`<p class="empty">
              ${total === 0 ? msg('No contacts yet.', { id: 'contacts.empty' }) : msg('No contact matches.', { id: 'contacts.no-match' })}
            </p>`
          : html`<ul part="list" class="plain" aria-labelledby="heading" aria-describedby="count">
              ${contacts.map((contact) => this.#renderContact(contact))}
            </ul>`}
        <p id="count" class="visually-hidden">
          ${msg(str`${formatCount(contacts.length)} of ${formatCount(total)} contacts shown.`, { id: 'contacts.count' })}
        </p>
        <p part="status" role="status">${this.status}</p>
      </section>
    `;
  }

  #renderContact(contact: Contact) {
    const selected = contact.id === this.selectedId;
    return html`
      <li part="contact" data-id=${contact.id} data-scope=${contact.scope} aria-current=${selected ? 'true' : 'false'}>
        <div class="head">
          <button type="button" part="name" class="select" @click=${() => this.#select(contact)}>${contact.name}</button>
          <span part="scope-tag" data-scope=${contact.scope}>
            ${contact.scope === 'global' ? msg('Global', { id: 'contacts.global' }) : msg('Private', { id: 'contacts.private' })}
          </span>
          ${contact.writable ? nothing : html`<span class="visually-hidden">${msg('(read-only)', { id: 'contacts.read-only' })}</span>`}
        </div>
        ${contact.company === null || contact.company === '' ? nothing : html`<span part="company">${contact.company}</span>`}
        ${contact.email === null || contact.email === '' ? nothing : html`<a part="email" href=${`mailto:${contact.email}`}>${contact.email}</a>`}
        ${contact.numbers.length === 0
          ? nothing
          : html`<div class="numbers">
              ${contact.numbers.map(
                (entry) => html`<button
                  type="button"
                  part="number"
                  class="call"
                  data-number=${entry.number}
                  @click=${() => void this.#call(contact, entry.number)}
                >
                  <span class="visually-hidden">${msg(str`Call ${contact.name}`, { id: 'contacts.call' })},</span>
                  ${entry.label === '' ? nothing : html`<span class="label">${entry.label}</span>`}
                  <span class="value">${entry.number}</span>
                </button>`,
              )}
            </div>`}
        ${contact.writable
          ? html`<div part="actions">
              <button
                type="button"
                class="change"
                aria-label=${msg(str`Change ${contact.name}`, { id: 'contacts.change' })}
                ?disabled=${this.busy}
                @click=${() => this.#openForm({ mode: 'edit', id: contact.id })}
              >
                ${msg('Change', { id: 'contacts.change-short' })}
              </button>
              <button
                type="button"
                class="delete danger"
                aria-label=${msg(str`Delete ${contact.name}`, { id: 'contacts.delete' })}
                ?disabled=${this.busy}
                @click=${() => void this.#delete(contact)}
              >
                ${msg('Delete', { id: 'contacts.delete-short' })}
              </button>
            </div>`
          : nothing}
      </li>
    `;
  }

  #renderForm(form: FormMode) {
    const current = form.mode === 'edit' ? this.activeClient?.contacts.find((item) => item.id === form.id) : undefined;
    const admin = this.activeClient?.me?.role === 'admin';
    return html`
      <form part="form" novalidate aria-labelledby="form-title" @submit=${this.#submit} @keydown=${this.#formKeydown}>
        <h3 id="form-title" class="visually-hidden">
          ${form.mode === 'add' ? msg('Add contact', { id: 'contacts.add' }) : msg('Change contact', { id: 'contacts.change-title' })}
        </h3>
        ${this.#textField('name', msg('Name', { id: 'contacts.field-name' }), current?.name ?? '', { required: true, autocomplete: 'off' })}
        ${this.#textField('company', msg('Company', { id: 'contacts.field-company' }), current?.company ?? '', { autocomplete: 'organization' })}
        ${this.#textField('email', msg('E-mail', { id: 'contacts.field-email' }), current?.email ?? '', { type: 'email', autocomplete: 'email' })}
        ${form.mode === 'add' && admin
          ? html`<div class="field">
              <label for="scope">${msg('Address book', { id: 'contacts.scope-filter' })}</label>
              <select id="scope" name="scope" @change=${(event: Event) => (this.formScope = (event.target as HTMLSelectElement).value as ContactScope)}>
                <option value="private" ?selected=${this.formScope === 'private'}>${msg('Private', { id: 'contacts.private' })}</option>
                <option value="global" ?selected=${this.formScope === 'global'}>${msg('Global', { id: 'contacts.global' })}</option>
              </select>
            </div>`
          : nothing}
        <fieldset>
          <legend>${msg('Numbers', { id: 'contacts.numbers' })}</legend>
          ${this.formNumbers.map((row, index) => this.#numberRow(row, index))}
          ${this.#errorFor('numbers')}
          <p class="buttons">
            <button type="button" class="add-number" @click=${this.#addNumberRow}>${msg('Add number', { id: 'contacts.add-number' })}</button>
          </p>
        </fieldset>
        ${this.formError === '' ? nothing : html`<p class="error form-error" role="alert">${this.formError}</p>`}
        <div class="buttons">
          <button type="submit" class="save primary" ?disabled=${this.busy}>${msg('Save', { id: 'contacts.save' })}</button>
          <button type="button" class="cancel" @click=${this.#closeForm}>${msg('Cancel', { id: 'contacts.cancel' })}</button>
        </div>
      </form>
    `;
  }

  #textField(
    name: 'name' | 'company' | 'email',
    label: string,
    value: string,
    options: { required?: boolean; type?: string; autocomplete: string },
  ) {
    const error = this.fieldErrors[name];
    return html`<div class="field">
      <label for=${name}>${label}</label>
      <input
        id=${name}
        name=${name}
        type=${options.type ?? 'text'}
        maxlength="200"
        autocomplete=${options.autocomplete}
        ?required=${options.required === true}
        .value=${value}
        aria-invalid=${error === undefined ? 'false' : 'true'}
        aria-describedby=${ifDefined(error === undefined ? undefined : `${name}-error`)}
      />
      ${this.#errorFor(name)}
    </div>`;
  }

  #numberRow(row: NumberRow, index: number) {
    const labelPath = `numbers.${index}.label`;
    const numberPath = `numbers.${index}.number`;
    const update = (patch: Partial<NumberRow>) => {
      this.formNumbers = this.formNumbers.map((item, at) => (at === index ? { ...item, ...patch } : item));
    };
    const invalid = (path: string) => (this.fieldErrors[path] === undefined ? 'false' : 'true');
    const describedBy = (path: string) => ifDefined(this.fieldErrors[path] === undefined ? undefined : `${path.replaceAll('.', '-')}-error`);
    return html`<div class="number-row" data-index=${index}>
      <div class="field">
        <label for="number-label-${index}">${msg(str`Label ${index + 1}`, { id: 'contacts.field-number-label' })}</label>
        <input
          id="number-label-${index}"
          class="number-label"
          maxlength="40"
          autocomplete="off"
          placeholder=${msg('e.g. mobile', { id: 'contacts.label-placeholder' })}
          .value=${row.label}
          aria-invalid=${invalid(labelPath)}
          aria-describedby=${describedBy(labelPath)}
          @input=${(event: Event) => update({ label: (event.target as HTMLInputElement).value })}
        />
        ${this.#errorFor(labelPath)}
      </div>
      <div class="field">
        <label for="number-${index}">${msg(str`Number ${index + 1}`, { id: 'contacts.field-number' })}</label>
        <input
          id="number-${index}"
          class="number-value"
          type="tel"
          maxlength="40"
          autocomplete="off"
          .value=${row.number}
          aria-invalid=${invalid(numberPath)}
          aria-describedby=${describedBy(numberPath)}
          @input=${(event: Event) => update({ number: (event.target as HTMLInputElement).value })}
        />
        ${this.#errorFor(numberPath)}
      </div>
      <button
        type="button"
        class="remove-number"
        aria-label=${msg(str`Remove number ${index + 1}`, { id: 'contacts.remove-number' })}
        @click=${() => this.#removeNumberRow(index)}
      >
        ${msg('Remove', { id: 'contacts.remove-short' })}
      </button>
    </div>`;
  }

  #errorFor(path: string) {
    const text = this.fieldErrors[path];
    return text === undefined
      ? nothing
      : html`<span id="${path.replaceAll('.', '-')}-error" class="error field-error" data-field=${path}>${text}</span>`;
  }

  #scopeFilterText(scope: ContactScopeFilter): string {
    switch (scope) {
      case 'all':
        return msg('All', { id: 'contacts.all' });
      case 'global':
        return msg('Global', { id: 'contacts.global' });
      case 'private':
        return msg('Private', { id: 'contacts.private' });
    }
  }

  #select(contact: Contact): void {
    this.selectedId = contact.id;
    dispatch<ContactSelectedDetail>(this, 'centrex-contact-selected', { contact });
  }

  async #call(contact: Contact, number: string): Promise<void> {
    const client = this.activeClient;
    if (client === undefined) return;
    try {
      const placed = await requestCall(this, client, number, contact.name, 'contacts');
      if (placed !== undefined) this.status = msg(str`Calling ${contact.name}.`, { id: 'contacts.calling' });
    } catch (error) {
      this.status = errorText(error);
    }
  }

  #openForm(mode: FormMode): void {
    const current = mode.mode === 'edit' ? this.activeClient?.contacts.find((item) => item.id === mode.id) : undefined;
    this.form = mode;
    this.formScope = 'private';
    this.formNumbers = current === undefined ? [{ label: '', number: '' }] : current.numbers.map(({ label, number }) => ({ label, number }));
    this.fieldErrors = {};
    this.formError = '';
    this.#focusAfterUpdate = '#name';
  }

  #closeForm(): void {
    const edited = this.form?.mode === 'edit' ? this.form.id : undefined;
    this.form = undefined;
    this.fieldErrors = {};
    this.formError = '';
    // Back to where the form was opened from (the contact's change button, else the add button).
    this.#focusAfterUpdate = edited === undefined ? 'button.add' : `li[data-id="${CSS.escape(edited)}"] button.change`;
  }

  #formKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      this.#closeForm();
    }
  }

  #addNumberRow(): void {
    this.formNumbers = [...this.formNumbers, { label: '', number: '' }];
    this.#focusAfterUpdate = `#number-label-${this.formNumbers.length - 1}`;
  }

  #removeNumberRow(index: number): void {
    this.formNumbers = this.formNumbers.filter((_, at) => at !== index);
    this.fieldErrors = {};
    this.#focusAfterUpdate = this.formNumbers.length === 0 ? 'button.add-number' : `#number-${Math.min(index, this.formNumbers.length - 1)}`;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const client = this.activeClient;
    const formElement = this.formElement;
    const mode = this.form;
    if (client === undefined || formElement === null || mode === undefined) return;
    const data = new FormData(formElement);
    const text = (key: string): string => String(data.get(key) ?? '').trim();
    const name = text('name');
    if (name === '') {
      this.fieldErrors = { name: msg('Enter a name.', { id: 'contacts.name-missing' }) };
      this.#focusAfterUpdate = '#name';
      return;
    }
    // Rows left completely empty are dropped rather than refused.
    const numbers = this.formNumbers
      .map((row) => ({ label: row.label.trim(), number: row.number.trim() }))
      .filter((row) => row.label !== '' || row.number !== '');
    const input: ContactInput = {
      name,
      company: text('company') === '' ? null : text('company'),
      email: text('email') === '' ? null : text('email'),
      numbers,
      ...(mode.mode === 'add' ? { scope: this.formScope } : {}),
    };
    this.busy = true;
    this.fieldErrors = {};
    this.formError = '';
    try {
      const saved = mode.mode === 'add' ? await client.addContact(input) : await client.updateContact(mode.id, input);
      this.status =
        mode.mode === 'add' ? msg(str`${saved.name} added.`, { id: 'contacts.added' }) : msg(str`${saved.name} saved.`, { id: 'contacts.saved' });
      this.#closeForm();
      // A new contact hidden by the filters would look lost: show it.
      if (!this.visibleContacts.some((item) => item.id === saved.id)) {
        this.scope = 'all';
        this.query = '';
      }
      this.#focusAfterUpdate = `li[data-id="${CSS.escape(saved.id)}"] button.select`;
    } catch (error) {
      this.#showFormError(error, numbers.length);
    } finally {
      this.busy = false;
    }
  }

  /** Puts a failure next to the field the PBX names in `details.field` (`numbers.0.number`), else under the form. */
  #showFormError(error: unknown, numberCount: number): void {
    const path = isCentrexError(error) ? error.details?.['field'] : undefined;
    const known =
      typeof path === 'string' &&
      (['name', 'company', 'email', 'numbers'].includes(path) ||
        (/^numbers\.(\d+)\.(label|number)$/.test(path) && Number(path.split('.')[1]) < numberCount));
    if (!known) {
      this.formError = errorText(error);
      return;
    }
    this.fieldErrors = { [path]: errorText(error) };
    const match = /^numbers\.(\d+)\.(label|number)$/.exec(path);
    this.#focusAfterUpdate = match === null ? (path === 'numbers' ? 'button.add-number' : `#${path}`) : match[2] === 'label' ? `#number-label-${match[1]}` : `#number-${match[1]}`;
  }

  async #delete(contact: Contact): Promise<void> {
    const client = this.activeClient;
    if (client === undefined) return;
    const list = this.visibleContacts;
    const index = list.indexOf(contact);
    this.busy = true;
    try {
      await client.deleteContact(contact.id);
      this.status = msg(str`${contact.name} deleted.`, { id: 'contacts.deleted' });
      if (this.selectedId === contact.id) this.selectedId = undefined;
      const next = list[index + 1] ?? list[index - 1];
      this.#focusAfterUpdate = next === undefined ? 'button.add' : `li[data-id="${CSS.escape(next.id)}"] button.select`;
    } catch (error) {
      this.status = errorText(error);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-contacts': CentrexContacts;
  }
  interface HTMLElementEventMap {
    'centrex-contact-selected': CustomEvent<ContactSelectedDetail>;
  }
}
