import { css } from 'lit';

/** Styles of `<centrex-forwarding>`; themable through the `--centrex-forwarding-*` custom properties. */
export const forwardingStyles = css`
  :host {
    display: block;
    --_fw-gap: var(--centrex-forwarding-gap, 1rem);
  }
  h2,
  h3 {
    font-size: 1.05em;
    margin: 0 0 0.4em;
  }
  h3 {
    font-size: 1em;
  }
  p {
    margin: 0.25em 0;
  }
  .layout {
    display: grid;
    gap: var(--_fw-gap);
    grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--centrex-forwarding-column-width, 22rem)), 1fr));
    align-items: start;
  }
  .column {
    display: grid;
    gap: var(--_fw-gap);
    min-inline-size: 0;
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    margin: 0;
    padding: 0.6em 0.8em;
    min-inline-size: 0;
  }
  legend {
    padding: 0 0.3em;
    font-weight: 600;
  }
  legend h2 {
    margin: 0;
  }
  label {
    display: inline-flex;
    flex-direction: column;
    gap: 0.2em;
    margin-block: 0.2em;
  }
  .switch {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }
  .switch label {
    display: inline;
    margin: 0;
    font-weight: 600;
  }
  .switch input {
    inline-size: 1.1em;
    block-size: 1.1em;
    margin: 0;
  }
  .row,
  .destination {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    align-items: end;
  }
  .hint,
  .muted {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .error:empty {
    display: none;
  }
  .error {
    margin: 0.2em 0;
  }
  ul.error.general {
    margin: 0 0 var(--_fw-gap);
  }
  .profiles ul {
    display: grid;
    gap: 0.3em;
  }
  .profile {
    display: flex;
    align-items: center;
    gap: 0.5em;
    padding: 0.25em 0.4em;
    border-radius: var(--_radius);
  }
  .profile.editing {
    background: var(--_surface);
  }
  .profile label {
    flex: 1;
    flex-direction: row;
    align-items: center;
    gap: 0.4em;
    margin: 0;
    cursor: pointer;
  }
  .profile .number {
    font-variant-numeric: tabular-nums;
    color: var(--_muted);
  }
  .badge {
    font-size: 0.8em;
    padding: 0.05em 0.5em;
    border-radius: 999px;
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .swatch {
    inline-size: var(--centrex-forwarding-swatch-size, 0.9em);
    block-size: var(--centrex-forwarding-swatch-size, 0.9em);
    border-radius: 50%;
    border: 1px solid var(--_border);
    background: transparent;
    flex: none;
  }
  .dnd {
    border-inline-start: 4px solid var(--_danger);
    padding: 0.2em 0.5em;
    background: var(--_surface);
  }
  .new-profile {
    display: flex;
    flex-direction: column;
    gap: 0.2em;
    border: 1px dashed var(--_border);
    border-radius: var(--_radius);
    padding: 0.6em 0.8em;
  }
  .new-profile button {
    align-self: start;
  }
  .editor {
    display: grid;
    gap: 0.6em;
  }
  .conditions {
    display: grid;
    gap: 0.5em;
  }
  .condition {
    border-block-start: 1px solid var(--_border);
    padding-block-start: 0.4em;
  }
  .condition:first-of-type {
    border-block-start: none;
  }
  .condition .hint {
    margin-inline-start: 1.6em;
  }
  .destination {
    margin-inline-start: 1.6em;
  }
  .rules ul {
    display: grid;
    gap: 0.6em;
    margin-block: 0.5em;
  }
  .rule > fieldset {
    display: grid;
    gap: 0.4em;
    background: var(--_surface);
  }
  .rule button,
  .delete-profile {
    justify-self: start;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_gap);
    position: sticky;
    inset-block-end: 0;
    background: var(--_bg);
    padding-block: 0.4em;
  }
  .actions .error {
    flex-basis: 100%;
  }
  .notice {
    border: 1px solid var(--_accent);
    border-radius: var(--_radius);
    background: var(--centrex-forwarding-notice-background, var(--_surface));
    padding: 0.5em 0.8em;
    margin-block-end: var(--_fw-gap);
  }
  .preview {
    display: flex;
    flex-direction: column;
    gap: 0.3em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.6em 0.8em;
  }
  .situation {
    display: grid;
    gap: 0.2em;
  }
  .situation .switch label {
    font-weight: normal;
  }
  .result {
    border-inline-start: 4px solid var(--_accent);
    padding: 0.3em 0.6em;
    background: var(--_surface);
    border-radius: 0 var(--_radius) var(--_radius) 0;
  }
  .result .headline {
    font-weight: 600;
  }
  .result ul {
    margin: 0.2em 0 0;
    padding-inline-start: 1.2em;
  }
  .star-codes dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.2em 0.8em;
    margin: 0.3em 0;
  }
  .star-codes dd {
    margin: 0;
  }
  kbd {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.95em;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 4px;
    padding: 0 0.25em;
  }
`;
