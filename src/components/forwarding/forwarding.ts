import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { msg, str } from '@lit/localize';
import type { CentrexClient, ClientArea } from '../../core/client/index.js';
import { isCentrexError } from '../../core/errors.js';
import {
  CONDITIONS,
  DEFAULT_PROFILE_NUMBER,
  NO_ANSWER_TIMEOUTS,
  VOICEMAIL_TARGET,
  activateProfile as activateProfileIn,
  deleteProfile as deleteProfileIn,
  planIncomingCall,
  starCodeGaps,
  toStarCodes,
  validateForwarding,
  type CalleeState,
  type CallerMatch,
  type Condition,
  type ConditionalForwarding,
  type ForwardingIssue,
  type ForwardingProfile,
  type ForwardingSettings,
  type IncomingCall,
  type NoAnswerTimeout,
  type SelectiveRule,
} from '../../core/forwarding/index.js';
import type { DialPlan } from '../../core/numbers/index.js';
import { CentrexElement } from '../shared/centrex-element.js';
import { errorText } from '../shared/error-text.js';
import { dispatch } from '../shared/events.js';
import { controls, tokens } from '../shared/styles.js';
import {
  CALLER_TYPES,
  blockSlot,
  conditionSlot,
  destinationOf,
  destinationOfType,
  editForwarding,
  editProfile,
  editRule,
  freeProfileNumbers,
  matchOfType,
  newRuleId,
  placeOfField,
  profileSlot,
  ruleSlot,
  safeColor,
  slotOfIssue,
  stableJson,
  starCodeHelp,
  withDestination,
  withTimeout,
  type DestinationType,
  type ForwardingPlace,
} from './forwarding-model.js';
import {
  callerTypeLabel,
  conditionHint,
  conditionLabel,
  describeMatch,
  describePlan,
  destinationTypeLabel,
  issueText,
  type PlanText,
  type TextContext,
} from './forwarding-text.js';
import { forwardingStyles } from './forwarding.styles.js';

/** `detail` of `centrex-forwarding-saved`: what the telephone system stored. */
export interface ForwardingSavedDetail {
  /** The settings as the server stored them. */
  readonly settings: ForwardingSettings;
  /** `active-profile` when only the active profile was switched (one click), `settings` for a saved edit. */
  readonly change: 'settings' | 'active-profile';
}

/** Who calls in the "who reaches me?" preview. */
export type PreviewCaller = 'number' | 'extension' | 'contact' | 'anonymous';

const DESTINATION_TYPES: readonly DestinationType[] = ['voicemail', 'number', 'busy'];

// Used when the tenant's dial plan is not loaded yet; the demo and most customers are German.
const FALLBACK_DIAL_PLAN: DialPlan = { country: 'DE' };

// The API reports the same change back to the session that made it; remembering a few of our own saves tells those
// echoes from changes made elsewhere.
const REMEMBERED_SAVES = 8;

/**
 * Call forwarding ("Rufumleitung", manual 4, 4.1, 4.2): the user's profiles with the active one switched by one
 * click, and for each profile the four conditions (always, busy, no answer after 5–20 s, not registered) with
 * their destinations (voicemail, a number or extension, a busy signal) and selective rules for particular callers
 * (anonymous, internal, a colleague, a contact, a number prefix).
 *
 * Edits are checked while typing with the core's `validateForwarding` and shown next to the field concerned;
 * **Save** stores them with `client.saveForwarding` (the server checks again, and its findings are shown the same
 * way). A "who reaches me?" preview runs the core's `planIncomingCall` — the code the telephone system routes with —
 * on the edited settings for a caller and situation the user picks. When the forwarding is changed elsewhere (a star
 * code dialled on a phone, another window) the element shows the new settings and says so. The star codes that
 * switch profiles are listed as help.
 *
 * @summary Edit call forwarding profiles, conditions and selective rules, with a live "who reaches me?" preview.
 * @fires centrex-forwarding-saved - the settings were stored ({@link ForwardingSavedDetail})
 * @csspart notice - the message shown when the forwarding was changed elsewhere
 * @csspart profiles - the list of profiles with the active-profile choice
 * @csspart profile - one profile in that list
 * @csspart swatch - a profile's colour dot
 * @csspart dnd - the hint shown while global Do not disturb is on
 * @csspart new-profile - the form that adds a profile
 * @csspart editor - the editor of the chosen profile
 * @csspart conditions - a group of the four conditions (of a profile or a rule)
 * @csspart condition - one condition with its destination
 * @csspart rules - the selective rules of a profile
 * @csspart rule - one selective rule
 * @csspart error - a message about a field
 * @csspart actions - the save and discard buttons with the status
 * @csspart save-button - the save button
 * @csspart status - what happened last (saved, nothing saved, …), a live region
 * @csspart preview - the "who reaches me?" preview
 * @csspart preview-result - the preview's answer, a live region
 * @csspart star-codes - the star code help
 * @cssprop --centrex-forwarding-gap - space between the element's sections (default `1rem`)
 * @cssprop --centrex-forwarding-column-width - narrowest column before the layout stacks (default `22rem`)
 * @cssprop --centrex-forwarding-swatch-size - diameter of a profile's colour dot (default `0.9em`)
 * @cssprop --centrex-forwarding-notice-background - background of the changed-elsewhere notice
 */
export class CentrexForwarding extends CentrexElement {
  static override clientAreas: readonly ClientArea[] = ['status', 'forwarding', 'settings', 'contacts', 'directory', 'me'];
  static override styles = [tokens, controls, forwardingStyles];

  /** The settings being edited; `undefined` until loaded. */
  @state() private draft: ForwardingSettings | undefined;
  /** The number of the profile shown in the editor. */
  @state() private editing = DEFAULT_PROFILE_NUMBER;
  @state() private saving = false;
  @state() private statusText = '';
  /** A server error of the last save, with the place in the form it concerns when the server named one. */
  @state() private failure: { readonly message: string; readonly place?: ForwardingPlace | undefined } | undefined;
  /** Findings the server sent with its last refusal (until the next edit). */
  @state() private serverIssues: readonly ForwardingIssue[] = [];
  /** Set when the forwarding was changed elsewhere. */
  @state() private notice: 'api' | 'star-code' | undefined;
  @state() private newTitle = '';
  @state() private newNumber: number | undefined;
  @state() private newFrom = '';
  @state() private newError: string | undefined;
  @state() private previewCaller: PreviewCaller = 'number';
  @state() private previewNumber = '030 1234567';
  @state() private previewExtension = '';
  @state() private previewContact = '';
  @state() private previewProfile: number | undefined;
  @state() private calleeBusy = false;
  @state() private calleeOffline = false;
  @state() private calleeWaiting: boolean | undefined;
  @state() private calleeDnd: boolean | undefined;

  /** The server's settings the draft was made from. */
  #base: ForwardingSettings | undefined;
  #subscribed: CentrexClient | undefined;
  #unsubscribe: (() => void) | undefined;
  #savesInFlight = 0;
  readonly #ownSaves: string[] = [];
  #wantedActive: number | undefined;
  #switching = false;
  #slots = new Map<string, string[]>();
  #swatchSheet: CSSStyleSheet | undefined;
  #swatchRules = '';

  /** Whether the edited settings differ from the stored ones. */
  get dirty(): boolean {
    return this.draft !== undefined && this.#base !== undefined && stableJson(this.draft) !== stableJson(this.#base);
  }

  /**
   * Makes a profile the active one. A stored profile is switched on the server at once (other edits stay unsaved);
   * a profile that was only just added here becomes active when the settings are saved.
   *
   * @returns whether the server now has that profile active (false when it failed or waits for Save)
   */
  async activateProfile(number: number): Promise<boolean> {
    const draft = this.draft;
    if (draft === undefined || !draft.profiles.some((profile) => profile.number === number)) return false;
    this.draft = activateProfileIn(draft, number);
    const base = this.#base;
    if (base === undefined || !base.profiles.some((profile) => profile.number === number)) {
      this.statusText = msg('The new profile becomes active when you save.', { id: 'forwarding.status.active-after-save' });
      return false;
    }
    this.#wantedActive = number;
    await this.#pushActiveProfile();
    return this.#base?.activeProfile === number;
  }

  /**
   * Checks the edited settings and stores them.
   *
   * @returns whether they were stored; when not, the reasons are shown next to the fields
   */
  async save(): Promise<boolean> {
    const client = this.activeClient;
    const draft = this.draft;
    if (client === undefined || draft === undefined) return false;
    const issues = validateForwarding(draft, this.#dialPlan(client));
    if (issues.length > 0) {
      this.statusText = msg('Nothing was saved: correct the marked fields first.', { id: 'forwarding.status.fix-first' });
      void this.#reveal(issues[0]!);
      return false;
    }
    this.saving = true;
    this.failure = undefined;
    this.serverIssues = [];
    this.statusText = msg('Saving…', { id: 'forwarding.status.saving' });
    this.#savesInFlight += 1;
    try {
      const saved = await client.saveForwarding(draft);
      this.#remember(saved);
      this.#base = saved;
      // Edits made while the save was on its way stay; otherwise show the settings as the server stored them.
      if (this.draft === draft) this.draft = saved;
      this.notice = undefined;
      this.statusText = msg('Saved.', { id: 'forwarding.status.saved' });
      dispatch<ForwardingSavedDetail>(this, 'centrex-forwarding-saved', { settings: saved, change: 'settings' });
      return true;
    } catch (error) {
      this.#showFailure(error, draft);
      return false;
    } finally {
      this.#savesInFlight -= 1;
      this.saving = false;
    }
  }

  /** Throws the unsaved edits away and shows the stored settings again. */
  discard(): void {
    this.draft = this.#base;
    this.failure = undefined;
    this.serverIssues = [];
    this.notice = undefined;
    this.statusText = msg('Changes discarded.', { id: 'forwarding.status.discarded' });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#follow(undefined);
  }

  protected override clientChanged(area: ClientArea): void {
    const client = this.activeClient;
    if (area === 'status') this.#follow(client);
    if (area !== 'status' && area !== 'forwarding') return;
    const next = client?.forwarding;
    if (next === this.#base) return;
    const keepEdits = this.dirty && next !== undefined;
    const first = this.#base === undefined;
    this.#base = next;
    if (!keepEdits) this.draft = next;
    if (first && next !== undefined) this.editing = next.activeProfile;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const draft = this.draft;
    if (draft !== undefined && !draft.profiles.some((profile) => profile.number === this.editing)) {
      this.editing = draft.profiles.some((profile) => profile.number === draft.activeProfile) ? draft.activeProfile : DEFAULT_PROFILE_NUMBER;
    }
    this.#slots = this.#collectSlots();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.#paintSwatches();
  }

  protected override render(): TemplateResult {
    const client = this.activeClient;
    const draft = this.draft;
    if (client === undefined || client.status === 'signed-out') {
      return html`<p class="muted">${msg('Sign in to see your call forwarding.', { id: 'forwarding.signed-out' })}</p>`;
    }
    if (draft === undefined) return html`<p class="muted" role="status">${msg('Loading your call forwarding…', { id: 'forwarding.loading' })}</p>`;
    const context = this.#textContext(client);
    const general = this.#slots.get('general') ?? [];
    return html`
      <div class="notice-region" role="status">${this.#renderNotice()}</div>
      ${general.length > 0 ? html`<ul class="error general" part="error">${general.map((text) => html`<li>${text}</li>`)}</ul>` : nothing}
      <div class="layout">
        <div class="column">
          ${this.#renderProfiles(draft)} ${this.#renderNewProfile(draft)}
        </div>
        <div class="column wide">${this.#renderEditor(draft, client, context)} ${this.#renderActions()}</div>
        <div class="column">${this.#renderPreview(draft, client, context)} ${this.#renderStarCodes(draft)}</div>
      </div>
      <datalist id="colleagues">
        ${context.directory
          .filter((entry) => entry.kind === 'extension')
          .map((entry) => html`<option value=${entry.extension ?? ''}>${entry.name}</option>`)}
      </datalist>
    `;
  }

  // ——— rendering ———

  #renderNotice(): TemplateResult | typeof nothing {
    if (this.notice === undefined) return nothing;
    const what =
      this.notice === 'star-code'
        ? msg('Your call forwarding was just changed by a star code dialled on a phone.', { id: 'forwarding.notice.star-code' })
        : msg('Your call forwarding was just changed in another window or app.', { id: 'forwarding.notice.api' });
    const dirty = this.dirty;
    const then = dirty
      ? msg('Your unsaved changes are still here; saving them replaces the new settings.', { id: 'forwarding.notice.kept' })
      : msg('The new settings are shown.', { id: 'forwarding.notice.shown' });
    return html`<div class="notice" part="notice">
      <p>${what} ${then}</p>
      <div class="row">
        ${dirty
          ? html`<button type="button" @click=${() => this.discard()}>
              ${msg('Show the new settings', { id: 'forwarding.notice.show-new' })}
            </button>`
          : nothing}
        <button type="button" @click=${() => (this.notice = undefined)}>${msg('Dismiss', { id: 'forwarding.notice.dismiss' })}</button>
      </div>
    </div>`;
  }

  #renderProfiles(draft: ForwardingSettings): TemplateResult {
    return html`<fieldset class="profiles" part="profiles">
      <legend><h2>${msg('Forwarding profiles', { id: 'forwarding.profiles.title' })}</h2></legend>
      <p class="hint" id="profiles-hint">${msg('Choose the active profile; it is switched at once.', { id: 'forwarding.profiles.hint' })}</p>
      ${this.activeClient?.settings?.dnd === true
        ? html`<p class="dnd" part="dnd">
            ${msg('Do not disturb is on: it comes before every profile and rule, until you switch it off in the settings.', {
              id: 'forwarding.profiles.dnd',
            })}
          </p>`
        : nothing}
      <ul class="plain">
        ${draft.profiles.map((profile) => {
          const active = draft.activeProfile === profile.number;
          const editing = this.editing === profile.number;
          const troubled = [...this.#slots.keys()].some((slot) => slot.split(':')[1] === String(profile.number));
          const title = profile.title.trim() === '' ? msg('(no title)', { id: 'forwarding.profiles.untitled' }) : profile.title;
          return html`<li class="profile ${editing ? 'editing' : ''}" part="profile" data-number=${profile.number}>
            <input
              type="radio"
              name="active-profile"
              id="active-${profile.number}"
              aria-describedby="profiles-hint"
              .checked=${live(active)}
              @change=${() => void this.activateProfile(profile.number)}
            />
            <label for="active-${profile.number}">
              <span class="swatch" part="swatch" data-number=${profile.number} aria-hidden="true"></span>
              <span class="number">${profile.number}</span>
              <span class="title">${title}</span>
              ${active ? html`<span class="badge">${msg('active', { id: 'forwarding.profiles.active' })}</span>` : nothing}
            </label>
            ${troubled ? html`<span class="error">${msg('needs attention', { id: 'forwarding.profiles.troubled' })}</span>` : nothing}
            <button type="button" class="edit" aria-pressed=${editing ? 'true' : 'false'} @click=${() => this.#edit(profile.number)}>
              ${msg('Edit', { id: 'forwarding.profiles.edit' })}<span class="visually-hidden"> ${title}</span>
            </button>
          </li>`;
        })}
      </ul>
    </fieldset>`;
  }

  #renderNewProfile(draft: ForwardingSettings): TemplateResult {
    const free = freeProfileNumbers(draft);
    const chosen = this.newNumber !== undefined && free.includes(this.newNumber) ? this.newNumber : free[0];
    return html`<form class="new-profile" part="new-profile" @submit=${(event: SubmitEvent) => this.#addProfile(event)}>
      <h3>${msg('New profile', { id: 'forwarding.new.title' })}</h3>
      ${free.length === 0
        ? html`<p class="hint">${msg('All ten profiles are in use; delete one to add another.', { id: 'forwarding.new.full' })}</p>`
        : html`
            <label
              >${msg('Title', { id: 'forwarding.new.name' })}
              <input
                id="new-title"
                name="title"
                autocomplete="off"
                maxlength="100"
                .value=${live(this.newTitle)}
                aria-invalid=${this.newError === undefined ? 'false' : 'true'}
                aria-describedby="new-error"
                @input=${(event: Event) => (this.newTitle = (event.target as HTMLInputElement).value)}
            /></label>
            <label
              >${msg('Number', { id: 'forwarding.new.number' })}
              <select name="number" @change=${(event: Event) => (this.newNumber = Number((event.target as HTMLSelectElement).value))}>
                ${free.map((number) => html`<option value=${number} .selected=${live(number === chosen)}>${number}</option>`)}
              </select></label
            >
            <label
              >${msg('Start from', { id: 'forwarding.new.from' })}
              <select name="from" @change=${(event: Event) => (this.newFrom = (event.target as HTMLSelectElement).value)}>
                <option value="" .selected=${live(this.newFrom === '')}>${msg('An empty profile', { id: 'forwarding.new.empty' })}</option>
                ${draft.profiles.map(
                  (profile) =>
                    html`<option value=${profile.number} .selected=${live(this.newFrom === String(profile.number))}>
                      ${msg(str`A copy of "${profile.title}"`, { id: 'forwarding.new.copy' })}
                    </option>`,
                )}
              </select></label
            >
            <button type="submit">${msg('Add profile', { id: 'forwarding.new.add' })}</button>
            <p class="error" id="new-error" part="error">${this.newError ?? ''}</p>
          `}
    </form>`;
  }

  #renderEditor(draft: ForwardingSettings, client: CentrexClient, context: TextContext): TemplateResult {
    const profile = draft.profiles.find((item) => item.number === this.editing);
    if (profile === undefined) return html``;
    const titleErrors = this.#slots.get(profileSlot(profile.number)) ?? [];
    const isDefault = profile.number === DEFAULT_PROFILE_NUMBER;
    const color = safeColor(profile.color);
    return html`<section class="editor" part="editor" aria-labelledby="editor-title">
      <h2 id="editor-title">${msg(str`Profile ${profile.number}: ${profile.title}`, { id: 'forwarding.editor.title' })}</h2>
      <div class="row">
        <label
          >${msg('Title', { id: 'forwarding.editor.name' })}
          <input
            maxlength="100"
            data-slot=${profileSlot(profile.number)}
            .value=${live(profile.title)}
            aria-invalid=${titleErrors.length > 0 ? 'true' : 'false'}
            aria-describedby="title-error"
            @input=${(event: Event) => this.#change((current) => editProfile(current, profile.number, (p) => ({ ...p, title: (event.target as HTMLInputElement).value })))}
        /></label>
        <label
          >${msg('Colour', { id: 'forwarding.editor.color' })}
          <input
            type="color"
            .value=${live(color !== undefined && /^#[0-9a-fA-F]{6}$/.test(color) ? color : '#888888')}
            @change=${(event: Event) => this.#change((current) => editProfile(current, profile.number, (p) => ({ ...p, color: (event.target as HTMLInputElement).value })))}
        /></label>
        ${profile.color !== undefined
          ? html`<button type="button" @click=${() => this.#change((current) => editProfile(current, profile.number, ({ color: _gone, ...rest }) => rest))}>
              ${msg('No colour', { id: 'forwarding.editor.no-color' })}
            </button>`
          : nothing}
      </div>
      <p class="error" id="title-error" part="error">${titleErrors.join(' ')}</p>
      ${isDefault
        ? html`<p class="hint">${msg('The default profile is always there; selective rules need another profile.', { id: 'forwarding.editor.default-hint' })}</p>`
        : nothing}
      ${this.#renderConditions(draft, { profile: profile.number }, profile.forwarding)}
      ${isDefault ? nothing : this.#renderRules(draft, profile, client, context)}
      ${isDefault
        ? nothing
        : html`<button type="button" class="danger delete-profile" @click=${() => this.#deleteProfile(profile)}>
            ${msg(str`Delete profile "${profile.title}"`, { id: 'forwarding.editor.delete' })}
          </button>`}
    </section>`;
  }

  #renderConditions(draft: ForwardingSettings, place: ForwardingPlace, forwarding: ConditionalForwarding): TemplateResult {
    const key = this.#placeKey(draft, place);
    const block = this.#slots.get(blockSlot(place)) ?? [];
    return html`<fieldset class="conditions" part="conditions" data-place=${key} aria-describedby="${key}-block-error">
      <legend>
        ${place.rule === undefined
          ? msg('Forward calls', { id: 'forwarding.conditions.profile' })
          : msg('What happens to these callers', { id: 'forwarding.conditions.rule' })}
      </legend>
      ${place.rule === undefined
        ? nothing
        : html`<p class="hint">${msg('With nothing switched on, these callers always reach you.', { id: 'forwarding.conditions.rule-hint' })}</p>`}
      ${CONDITIONS.map((condition) => this.#renderCondition(draft, place, forwarding, condition))}
      <p class="error" id="${key}-block-error" part="error" data-slot=${blockSlot(place)}>${block.join(' ')}</p>
    </fieldset>`;
  }

  #renderCondition(draft: ForwardingSettings, place: ForwardingPlace, forwarding: ConditionalForwarding, condition: Condition): TemplateResult {
    const id = `${this.#placeKey(draft, place)}-${condition}`;
    const slot = conditionSlot(place, condition);
    const destination = destinationOf(forwarding, condition);
    const errors = this.#slots.get(slot) ?? [];
    const invalid = errors.length > 0 ? 'true' : 'false';
    // The four conditions read the same in every rule: their explanations are shown once, at the profile.
    const explained = place.rule === undefined;
    const described = explained ? `${id}-hint ${id}-error` : `${id}-error`;
    const label = conditionLabel(condition);
    return html`<div class="condition" part="condition" data-condition=${condition}>
      <div class="switch">
        <input
          type="checkbox"
          id="${id}-on"
          data-slot=${destination === undefined ? slot : ''}
          aria-describedby=${explained ? `${id}-hint` : `${id}-error`}
          .checked=${live(destination !== undefined)}
          @change=${(event: Event) => {
            const on = (event.target as HTMLInputElement).checked;
            this.#change((current) => editForwarding(current, place, (f) => withDestination(f, condition, on ? { type: 'voicemail' } : undefined)));
          }}
        />
        <label for="${id}-on">${label}</label>
      </div>
      ${explained ? html`<p class="hint" id="${id}-hint">${conditionHint(condition)}</p>` : nothing}
      ${destination === undefined
        ? nothing
        : html`<div class="destination" role="group" aria-label=${msg(str`${label}: destination`, { id: 'forwarding.condition.group' })}>
            ${condition === 'noAnswer'
              ? html`<label
                  >${msg('After', { id: 'forwarding.condition.after' })}
                  <select
                    @change=${(event: Event) => {
                      const after = Number((event.target as HTMLSelectElement).value) as NoAnswerTimeout;
                      this.#change((current) => editForwarding(current, place, (f) => withTimeout(f, after)));
                    }}
                  >
                    ${NO_ANSWER_TIMEOUTS.map(
                      (seconds) =>
                        html`<option value=${seconds} .selected=${live(forwarding.noAnswer?.after === seconds)}>
                          ${msg(str`${seconds} seconds`, { id: 'forwarding.condition.seconds' })}
                        </option>`,
                    )}
                  </select></label
                >`
              : nothing}
            <label
              >${msg('Destination', { id: 'forwarding.condition.destination' })}
              <select
                data-slot=${destination.type === 'number' ? '' : slot}
                aria-invalid=${destination.type === 'number' ? 'false' : invalid}
                aria-describedby=${described}
                @change=${(event: Event) => {
                  const type = (event.target as HTMLSelectElement).value as DestinationType;
                  this.#change((current) => editForwarding(current, place, (f) => withDestination(f, condition, destinationOfType(type, destinationOf(f, condition)))));
                  if (type === 'number') void this.#focusSlot(slot);
                }}
              >
                ${DESTINATION_TYPES.map(
                  (type) => html`<option value=${type} .selected=${live(destination.type === type)}>${destinationTypeLabel(type)}</option>`,
                )}
              </select></label
            >
            ${destination.type === 'number'
              ? html`<label
                  >${msg('Number or extension', { id: 'forwarding.condition.number' })}
                  <input
                    type="tel"
                    list="colleagues"
                    autocomplete="off"
                    data-slot=${slot}
                    .value=${live(destination.number)}
                    aria-invalid=${invalid}
                    aria-describedby=${described}
                    @input=${(event: Event) => {
                      const number = (event.target as HTMLInputElement).value;
                      this.#change((current) => editForwarding(current, place, (f) => withDestination(f, condition, { type: 'number', number })));
                    }}
                /></label>`
              : nothing}
          </div>`}
      <p class="error" id="${id}-error" part="error">${errors.join(' ')}</p>
    </div>`;
  }

  #renderRules(draft: ForwardingSettings, profile: ForwardingProfile, client: CentrexClient, context: TextContext): TemplateResult {
    return html`<section class="rules" part="rules" aria-labelledby="rules-title">
      <h3 id="rules-title">${msg('Selective rules', { id: 'forwarding.rules.title' })}</h3>
      <p class="hint">
        ${msg('A rule decides for the callers it names, instead of the conditions above. The most specific rule wins.', {
          id: 'forwarding.rules.hint',
        })}
      </p>
      <ul class="plain">
        ${profile.selective.map((rule, index) => this.#renderRule(draft, profile, rule, index, client, context))}
      </ul>
      <button type="button" id="add-rule" @click=${() => this.#addRule(profile.number)}>${msg('Add rule', { id: 'forwarding.rules.add' })}</button>
    </section>`;
  }

  #renderRule(
    draft: ForwardingSettings,
    profile: ForwardingProfile,
    rule: SelectiveRule,
    index: number,
    client: CentrexClient,
    context: TextContext,
  ): TemplateResult {
    const id = `rule-${profile.number}-${index}`;
    const slot = ruleSlot(profile.number, rule.id);
    const errors = this.#slots.get(slot) ?? [];
    const invalid = errors.length > 0 ? 'true' : 'false';
    const match = rule.match;
    const setMatch = (next: CallerMatch): void => this.#change((current) => editRule(current, profile.number, rule.id, (r) => ({ ...r, match: next })));
    const position = index + 1;
    const who = describeMatch(match, context);
    return html`<li class="rule" part="rule">
      <fieldset>
        <legend>${msg(str`Rule ${position}: ${who}`, { id: 'forwarding.rule.legend' })}</legend>
        <div class="row">
          <label
            >${msg('Callers', { id: 'forwarding.rule.callers' })}
            <select
              id="${id}-type"
              data-slot=${match.type === 'anonymous' || match.type === 'internal' ? slot : ''}
              @change=${(event: Event) => {
                const type = (event.target as HTMLSelectElement).value as CallerMatch['type'];
                setMatch(matchOfType(type, client.contacts[0]?.id));
              }}
            >
              ${CALLER_TYPES.map((type) => html`<option value=${type} .selected=${live(match.type === type)}>${callerTypeLabel(type)}</option>`)}
            </select></label
          >
          ${match.type === 'extension'
            ? html`<label
                >${msg('Extension', { id: 'forwarding.rule.extension' })}
                <input
                  list="colleagues"
                  inputmode="numeric"
                  autocomplete="off"
                  data-slot=${slot}
                  .value=${live(match.extension)}
                  aria-invalid=${invalid}
                  aria-describedby="${id}-error"
                  @input=${(event: Event) => setMatch({ type: 'extension', extension: (event.target as HTMLInputElement).value })}
              /></label>`
            : nothing}
          ${match.type === 'contact'
            ? html`<label
                >${msg('Contact', { id: 'forwarding.rule.contact' })}
                <select
                  data-slot=${slot}
                  aria-invalid=${invalid}
                  aria-describedby="${id}-error"
                  @change=${(event: Event) => setMatch({ type: 'contact', contactId: (event.target as HTMLSelectElement).value })}
                >
                  <option value="" .selected=${live(match.contactId === '')}>${msg('Choose a contact', { id: 'forwarding.rule.choose-contact' })}</option>
                  ${client.contacts.map(
                    (contact) => html`<option value=${contact.id} .selected=${live(match.contactId === contact.id)}>${contact.name}</option>`,
                  )}
                </select></label
              >`
            : nothing}
          ${match.type === 'prefix'
            ? html`<label
                >${msg('Number or prefix', { id: 'forwarding.rule.prefix' })}
                <input
                  type="tel"
                  autocomplete="off"
                  placeholder="+4989"
                  data-slot=${slot}
                  .value=${live(match.prefix)}
                  aria-invalid=${invalid}
                  aria-describedby="${id}-error"
                  @input=${(event: Event) => setMatch({ type: 'prefix', prefix: (event.target as HTMLInputElement).value })}
              /></label>`
            : nothing}
        </div>
        <p class="error" id="${id}-error" part="error">${errors.join(' ')}</p>
        ${this.#renderConditions(draft, { profile: profile.number, rule: rule.id }, rule.forwarding)}
        <button type="button" @click=${() => this.#deleteRule(profile, rule, position)}>
          ${msg(str`Delete rule ${position}`, { id: 'forwarding.rule.delete' })}
        </button>
      </fieldset>
    </li>`;
  }

  #renderActions(): TemplateResult {
    const dirty = this.dirty;
    return html`<div class="actions" part="actions">
      <button type="button" class="primary" part="save-button" ?disabled=${!dirty || this.saving} @click=${() => void this.save()}>
        ${msg('Save', { id: 'forwarding.actions.save' })}
      </button>
      <button type="button" ?disabled=${!dirty || this.saving} @click=${() => this.discard()}>
        ${msg('Discard changes', { id: 'forwarding.actions.discard' })}
      </button>
      <span class="status" part="status" role="status">${this.statusText}</span>
      <p class="error" part="error" role="alert">${this.failure?.message ?? ''}</p>
    </div>`;
  }

  #renderPreview(draft: ForwardingSettings, client: CentrexClient, context: TextContext): TemplateResult {
    const profileNumber =
      this.previewProfile !== undefined && draft.profiles.some((profile) => profile.number === this.previewProfile)
        ? this.previewProfile
        : draft.activeProfile;
    const answer = this.#plan(draft, profileNumber, client, context);
    const settings = client.settings;
    const waiting = this.calleeWaiting ?? settings?.callWaiting ?? false;
    const dnd = this.calleeDnd ?? settings?.dnd ?? false;
    const situation = (id: string, label: string, checked: boolean, set: (value: boolean) => void): TemplateResult =>
      html`<div class="switch">
        <input type="checkbox" id=${id} .checked=${live(checked)} @change=${(event: Event) => set((event.target as HTMLInputElement).checked)} />
        <label for=${id}>${label}</label>
      </div>`;
    return html`<section class="preview" part="preview" aria-labelledby="preview-title">
      <h2 id="preview-title">${msg('Who reaches me?', { id: 'forwarding.preview.title' })}</h2>
      <p class="hint">${msg('Try the settings as edited, before saving: pick a caller and your situation.', { id: 'forwarding.preview.hint' })}</p>
      <label
        >${msg('Caller', { id: 'forwarding.preview.caller' })}
        <select @change=${(event: Event) => (this.previewCaller = (event.target as HTMLSelectElement).value as PreviewCaller)}>
          <option value="number" .selected=${live(this.previewCaller === 'number')}>${msg('An outside number', { id: 'forwarding.preview.number' })}</option>
          <option value="extension" .selected=${live(this.previewCaller === 'extension')}>${msg('A colleague', { id: 'forwarding.preview.extension' })}</option>
          <option value="contact" .selected=${live(this.previewCaller === 'contact')}>${msg('A contact', { id: 'forwarding.preview.contact' })}</option>
          <option value="anonymous" .selected=${live(this.previewCaller === 'anonymous')}>${msg('Someone who withholds the number', { id: 'forwarding.preview.anonymous' })}</option>
        </select></label
      >
      ${this.previewCaller === 'number'
        ? html`<label
            >${msg("Caller's number", { id: 'forwarding.preview.caller-number' })}
            <input type="tel" autocomplete="off" .value=${live(this.previewNumber)} @input=${(event: Event) => (this.previewNumber = (event.target as HTMLInputElement).value)}
          /></label>`
        : nothing}
      ${this.previewCaller === 'extension'
        ? html`<label
            >${msg("Colleague's extension", { id: 'forwarding.preview.caller-extension' })}
            <input
              list="colleagues"
              inputmode="numeric"
              autocomplete="off"
              .value=${live(this.previewExtension)}
              @input=${(event: Event) => (this.previewExtension = (event.target as HTMLInputElement).value)}
          /></label>`
        : nothing}
      ${this.previewCaller === 'contact'
        ? html`<label
            >${msg('Contact', { id: 'forwarding.preview.caller-contact' })}
            <select @change=${(event: Event) => (this.previewContact = (event.target as HTMLSelectElement).value)}>
              <option value="" .selected=${live(this.previewContact === '')}>${msg('Choose a contact', { id: 'forwarding.rule.choose-contact' })}</option>
              ${client.contacts.map(
                (contact) => html`<option value=${contact.id} .selected=${live(this.previewContact === contact.id)}>${contact.name}</option>`,
              )}
            </select></label
          >`
        : nothing}
      <label
        >${msg('With profile', { id: 'forwarding.preview.profile' })}
        <select @change=${(event: Event) => (this.previewProfile = Number((event.target as HTMLSelectElement).value))}>
          ${draft.profiles.map(
            (profile) =>
              html`<option value=${profile.number} .selected=${live(profile.number === profileNumber)}>
                ${profile.number === draft.activeProfile
                  ? msg(str`${profile.title} (active)`, { id: 'forwarding.preview.active-profile' })
                  : profile.title}
              </option>`,
          )}
        </select></label
      >
      <fieldset class="situation">
        <legend>${msg('Your situation', { id: 'forwarding.preview.situation' })}</legend>
        ${situation('callee-busy', msg('I am on the phone', { id: 'forwarding.preview.busy' }), this.calleeBusy, (value) => (this.calleeBusy = value))}
        ${situation(
          'callee-offline',
          msg('None of my phones is connected', { id: 'forwarding.preview.offline' }),
          this.calleeOffline,
          (value) => (this.calleeOffline = value),
        )}
        ${situation('callee-waiting', msg('Call waiting is on', { id: 'forwarding.preview.waiting' }), waiting, (value) => (this.calleeWaiting = value))}
        ${situation('callee-dnd', msg('Do not disturb is on', { id: 'forwarding.preview.dnd' }), dnd, (value) => (this.calleeDnd = value))}
      </fieldset>
      <div class="result" part="preview-result" role="status">
        <p class="headline">${answer.headline}</p>
        ${answer.details.length > 0 ? html`<ul>${answer.details.map((line) => html`<li>${line}</li>`)}</ul>` : nothing}
      </div>
    </section>`;
  }

  #renderStarCodes(draft: ForwardingSettings): TemplateResult {
    const help = starCodeHelp(draft);
    let asCodes: string[] = [];
    let gaps: Condition[] = [];
    try {
      asCodes = toStarCodes(draft);
      gaps = starCodeGaps(draft);
    } catch {
      // Damaged settings: the help about single codes is still right.
    }
    const example = `*11${VOICEMAIL_TARGET}`;
    return html`<section class="star-codes" part="star-codes" aria-labelledby="star-title">
      <h2 id="star-title">${msg('Star codes', { id: 'forwarding.star.title' })}</h2>
      <p class="hint">${msg('Dial these on any of your phones, also a desk phone.', { id: 'forwarding.star.hint' })}</p>
      <dl>
        ${help.map((item) =>
          item.kind === 'profile'
            ? html`<dt><kbd>${item.code}</kbd></dt>
                <dd>${msg(str`Activate profile "${item.profile.title}"`, { id: 'forwarding.star.profile' })}</dd>`
            : html`<dt><kbd>${item.code}</kbd> + ${msg('number', { id: 'forwarding.star.target' })} / <kbd>${item.clear}</kbd></dt>
                <dd>
                  ${msg(str`"${conditionLabel(item.condition)}" on the default profile (setting it activates that profile) / off again`, {
                    id: 'forwarding.star.condition',
                  })}
                </dd>`,
        )}
      </dl>
      <p class="hint">
        ${msg(str`As the target, ${VOICEMAIL_TARGET} means your voicemail: ${example} sends every call there.`, { id: 'forwarding.star.voicemail' })}
      </p>
      ${asCodes.length > 0
        ? html`<p class="hint">
            ${msg('Your default profile as star codes:', { id: 'forwarding.star.as-codes' })}
            ${asCodes.map((code) => html`<kbd>${code}</kbd> `)}
            ${gaps.length > 0
              ? msg(str`(not expressible by star codes: ${gaps.map(conditionLabel).join(', ')})`, { id: 'forwarding.star.gaps' })
              : nothing}
          </p>`
        : nothing}
    </section>`;
  }

  // ——— behaviour ———

  /** Follows the client's "changed elsewhere" events. */
  #follow(client: CentrexClient | undefined): void {
    if (client === this.#subscribed) return;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#subscribed = client;
    this.#base = undefined;
    this.draft = undefined;
    this.notice = undefined;
    this.failure = undefined;
    this.serverIssues = [];
    if (client === undefined) return;
    this.#unsubscribe = client.on('forwardingchanged', ({ settings, source }) => {
      if (source === 'api' && (this.#savesInFlight > 0 || this.#ownSaves.includes(stableJson(settings)))) return;
      this.notice = source;
      this.requestUpdate();
    });
  }

  #remember(saved: ForwardingSettings): void {
    this.#ownSaves.push(stableJson(saved));
    if (this.#ownSaves.length > REMEMBERED_SAVES) this.#ownSaves.shift();
  }

  /** Switches the server's active profile to the last one chosen; clicks during a save are folded into one more. */
  async #pushActiveProfile(): Promise<void> {
    if (this.#switching) return;
    const client = this.activeClient;
    if (client === undefined) return;
    this.#switching = true;
    this.failure = undefined;
    try {
      while (this.#base !== undefined && this.#wantedActive !== undefined && this.#base.activeProfile !== this.#wantedActive) {
        const wanted = this.#wantedActive;
        const base = this.#base;
        this.statusText = msg('Switching the profile…', { id: 'forwarding.status.switching' });
        this.#savesInFlight += 1;
        let saved: ForwardingSettings;
        try {
          saved = await client.saveForwarding(activateProfileIn(base, wanted));
        } finally {
          this.#savesInFlight -= 1;
        }
        this.#remember(saved);
        const keepEdits = this.dirty;
        this.#base = saved;
        const draft = this.draft;
        this.draft = keepEdits && draft !== undefined ? { ...draft, activeProfile: saved.activeProfile } : saved;
        const title = saved.profiles.find((profile) => profile.number === saved.activeProfile)?.title ?? '';
        this.statusText = msg(str`Profile "${title}" is active.`, { id: 'forwarding.status.activated' });
        dispatch<ForwardingSavedDetail>(this, 'centrex-forwarding-saved', { settings: saved, change: 'active-profile' });
      }
    } catch (error) {
      const base = this.#base;
      const draft = this.draft;
      if (base !== undefined && draft !== undefined) this.draft = { ...draft, activeProfile: base.activeProfile };
      this.#wantedActive = undefined;
      this.failure = { message: this.#errorMessage(error) };
      this.statusText = msg('The profile was not switched.', { id: 'forwarding.status.not-switched' });
    } finally {
      this.#switching = false;
    }
  }

  /**
   * Takes an edit: the draft changes, and findings of the last refusal no longer apply. An edit given as a function
   * is applied to the draft as it is now, because several events can arrive before the form renders again.
   */
  #change(next: ForwardingSettings | ((current: ForwardingSettings) => ForwardingSettings)): void {
    if (typeof next === 'function') {
      const current = this.draft;
      if (current === undefined) return;
      next = next(current);
    }
    this.draft = next;
    this.serverIssues = [];
    this.failure = undefined;
    if (this.statusText !== '') this.statusText = '';
  }

  /** Shows a profile in the editor and takes the focus there, so keyboard users go on editing where they look. */
  #edit(number: number): void {
    this.editing = number;
    void this.#focusSlot(profileSlot(number));
  }

  #addProfile(event: SubmitEvent): void {
    event.preventDefault();
    const draft = this.draft;
    if (draft === undefined) return;
    // The menus as they are now: a choice can come faster than the next render.
    const form = new FormData(event.target as HTMLFormElement);
    const free = freeProfileNumbers(draft);
    const chosen = Number(form.get('number'));
    const number = free.includes(chosen) ? chosen : free[0];
    const from = String(form.get('from') ?? '');
    const title = String(form.get('title') ?? this.newTitle).trim();
    if (number === undefined) {
      this.newError = msg('All ten profiles are in use; delete one to add another.', { id: 'forwarding.new.full' });
      return;
    }
    if (title === '') {
      this.newError = msg('Give the new profile a title.', { id: 'forwarding.new.title-missing' });
      this.renderRoot.querySelector<HTMLInputElement>('#new-title')?.focus();
      return;
    }
    const source = from === '' ? undefined : draft.profiles.find((profile) => String(profile.number) === from);
    const color = source?.color;
    const profile: ForwardingProfile = {
      number,
      title,
      ...(color === undefined ? {} : { color }),
      forwarding: source?.forwarding ?? {},
      // Rules of the default profile are not allowed, and it has none to copy.
      selective: source?.selective ?? [],
    };
    this.#change({ ...draft, profiles: [...draft.profiles, profile].sort((a, b) => a.number - b.number) });
    this.editing = number;
    this.newTitle = '';
    this.newFrom = '';
    this.newNumber = undefined;
    this.newError = undefined;
    this.statusText = msg(str`Profile "${title}" added. Save to keep it.`, { id: 'forwarding.status.added' });
    void this.#focusSlot(profileSlot(number));
  }

  #deleteProfile(profile: ForwardingProfile): void {
    const draft = this.draft;
    if (draft === undefined) return;
    try {
      this.#change(deleteProfileIn(draft, profile.number));
    } catch (error) {
      this.failure = { message: this.#errorMessage(error) };
      return;
    }
    const title = profile.title;
    this.statusText = msg(str`Profile "${title}" deleted. Save to keep the change.`, { id: 'forwarding.status.deleted' });
    this.editing = this.draft?.activeProfile ?? DEFAULT_PROFILE_NUMBER;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#active-${this.editing}`)?.focus());
  }

  #addRule(number: number): void {
    const profile = this.draft?.profiles.find((item) => item.number === number);
    if (profile === undefined) return;
    const rule: SelectiveRule = { id: newRuleId(profile), match: { type: 'anonymous' }, forwarding: {} };
    this.#change((current) => editProfile(current, profile.number, (p) => ({ ...p, selective: [...p.selective, rule] })));
    const index = profile.selective.length;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#rule-${profile.number}-${index}-type`)?.focus());
  }

  #deleteRule(profile: ForwardingProfile, rule: SelectiveRule, position: number): void {
    const draft = this.draft;
    if (draft === undefined) return;
    this.#change((current) => editProfile(current, profile.number, (p) => ({ ...p, selective: p.selective.filter((item) => item.id !== rule.id) })));
    this.statusText = msg(str`Rule ${position} deleted. Save to keep the change.`, { id: 'forwarding.status.rule-deleted' });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#add-rule')?.focus());
  }

  #showFailure(error: unknown, sent: ForwardingSettings): void {
    const details = isCentrexError(error) ? error.details : undefined;
    const sentIssues = details?.['issues'];
    const sentField = details?.['field'];
    const issues = Array.isArray(sentIssues) ? (sentIssues as ForwardingIssue[]) : [];
    const field = typeof sentField === 'string' ? sentField : undefined;
    const place = field === undefined ? undefined : placeOfField(field, sent);
    this.serverIssues = issues;
    this.failure = { message: this.#errorMessage(error), place };
    this.statusText = msg('Nothing was saved.', { id: 'forwarding.status.not-saved' });
    const first = issues[0];
    if (place !== undefined) {
      this.editing = place.profile;
      void this.#focusFirstIn(blockSlot(place), place);
    } else if (first !== undefined) {
      void this.#reveal(first);
    }
  }

  #errorMessage(error: unknown): string {
    if (isCentrexError(error) && error.details?.['apiCode'] === 'destination-not-allowed') {
      return msg('Your company does not allow forwarding to this number (premium-rate or foreign numbers are blocked).', {
        id: 'forwarding.error.destination-not-allowed',
      });
    }
    return errorText(error);
  }

  /** Shows the profile a finding is about and puts the focus on its field. */
  async #reveal(issue: ForwardingIssue): Promise<void> {
    if (issue.profile !== undefined) this.editing = issue.profile;
    await this.#focusSlot(slotOfIssue(issue));
  }

  async #focusSlot(slot: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-slot="${CSS.escape(slot)}"]`)?.focus();
  }

  /** Focuses the first number field of a block the server refused (it names the block, not the field). */
  async #focusFirstIn(slot: string, place: ForwardingPlace): Promise<void> {
    await this.updateComplete;
    const draft = this.draft;
    if (draft === undefined) return;
    const key = this.#placeKey(draft, place);
    const block = `[data-place="${CSS.escape(key)}"]`;
    const field = this.renderRoot.querySelector<HTMLElement>(`${block} input[type="tel"], ${block} select`);
    (field ?? this.renderRoot.querySelector<HTMLElement>(`[data-slot="${CSS.escape(slot)}"]`))?.focus();
  }

  /** Every message to show, by the slot in the form where it belongs. */
  #collectSlots(): Map<string, string[]> {
    const slots = new Map<string, string[]>();
    const draft = this.draft;
    if (draft === undefined) return slots;
    const add = (slot: string, text: string): void => {
      const list = slots.get(slot) ?? [];
      if (!list.includes(text)) list.push(text);
      slots.set(slot, list);
    };
    const client = this.activeClient;
    const dialPlan = client === undefined ? FALLBACK_DIAL_PLAN : this.#dialPlan(client);
    for (const issue of [...validateForwarding(draft, dialPlan), ...this.serverIssues]) add(slotOfIssue(issue), issueText(issue, draft));
    const failure = this.failure;
    if (failure?.place !== undefined) add(blockSlot(failure.place), failure.message);
    return slots;
  }

  #plan(draft: ForwardingSettings, profile: number, client: CentrexClient, context: TextContext): PlanText {
    const call = this.#previewCall(client);
    if (call === undefined) return { headline: msg('Choose a caller to see what happens.', { id: 'forwarding.preview.choose' }), details: [] };
    const settings = client.settings;
    const callee: CalleeState = {
      registered: !this.calleeOffline,
      busy: this.calleeBusy,
      callWaiting: this.calleeWaiting ?? settings?.callWaiting ?? false,
      dnd: this.calleeDnd ?? settings?.dnd ?? false,
    };
    const contacts = client.contacts;
    const forPreview = { ...draft, activeProfile: profile };
    try {
      const plan = planIncomingCall(forPreview, call, callee, {
        dialPlan: context.dialPlan,
        contactNumbers: (id) => contacts.find((contact) => contact.id === id)?.numbers.map((entry) => entry.number) ?? [],
      });
      return describePlan(plan, forPreview, profile, context);
    } catch (error) {
      return { headline: errorText(error), details: [] };
    }
  }

  #previewCall(client: CentrexClient): IncomingCall | undefined {
    switch (this.previewCaller) {
      case 'anonymous':
        return { from: { anonymous: true } };
      case 'extension':
        return this.previewExtension.trim() === '' ? undefined : { from: { extension: this.previewExtension.trim() } };
      case 'number':
        return this.previewNumber.trim() === '' ? undefined : { from: { number: this.previewNumber } };
      case 'contact': {
        const number = client.contacts.find((contact) => contact.id === this.previewContact)?.numbers[0]?.number;
        return number === undefined ? undefined : { from: { number } };
      }
    }
  }

  #dialPlan(client: CentrexClient): DialPlan {
    return client.dialPlan ?? FALLBACK_DIAL_PLAN;
  }

  #textContext(client: CentrexClient): TextContext {
    return { dialPlan: this.#dialPlan(client), directory: client.directory, contacts: client.contacts };
  }

  /** A stable prefix for the ids of a place's fields (rule ids are data, so rules go by position). */
  #placeKey(draft: ForwardingSettings, place: ForwardingPlace): string {
    if (place.rule === undefined) return `p${place.profile}`;
    const index = draft.profiles.find((profile) => profile.number === place.profile)?.selective.findIndex((rule) => rule.id === place.rule) ?? -1;
    return `p${place.profile}-r${index}`;
  }

  /**
   * Colours the profiles' dots through a constructed style sheet rather than `style` attributes, so the element
   * works under a Content-Security-Policy without `unsafe-inline`. Only colours of the PBX's safe forms get in.
   */
  #paintSwatches(): void {
    const root = this.shadowRoot;
    if (root === null || typeof CSSStyleSheet === 'undefined' || !('replaceSync' in CSSStyleSheet.prototype)) return;
    const rules = (this.draft?.profiles ?? [])
      .map((profile) => {
        const color = safeColor(profile.color);
        return color !== undefined && Number.isInteger(profile.number) ? `.swatch[data-number="${profile.number}"] { background: ${color}; }` : '';
      })
      .join('\n');
    if (rules === this.#swatchRules) return;
    this.#swatchRules = rules;
    if (this.#swatchSheet === undefined) {
      this.#swatchSheet = new CSSStyleSheet();
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.#swatchSheet];
    }
    this.#swatchSheet.replaceSync(rules);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-forwarding': CentrexForwarding;
  }
  interface HTMLElementEventMap {
    'centrex-forwarding-saved': CustomEvent<ForwardingSavedDetail>;
  }
}
