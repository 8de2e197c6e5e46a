import { css } from 'lit';

/**
 * The design tokens every element reads, with their defaults. A host page themes the elements by setting
 * `--centrex-*` custom properties on any ancestor; `color-scheme: dark` on an ancestor switches the defaults to dark.
 * Nothing here reaches outside the element's shadow root.
 */
export const tokens = css`
  :host {
    --_bg: var(--centrex-color-background, light-dark(#ffffff, #1d2024));
    --_surface: var(--centrex-color-surface, light-dark(#f3f5f7, #2a2e33));
    --_text: var(--centrex-color-text, light-dark(#1b1f23, #eceff1));
    --_muted: var(--centrex-color-muted, light-dark(#56606b, #a9b3bd));
    --_border: var(--centrex-color-border, light-dark(#cfd6dd, #444b53));
    --_accent: var(--centrex-color-accent, light-dark(#0b5cad, #6fb1f5));
    --_on-accent: var(--centrex-color-on-accent, light-dark(#ffffff, #0d1b2a));
    --_danger: var(--centrex-color-danger, light-dark(#b3261e, #ff8a80));
    --_on-danger: var(--centrex-color-on-danger, light-dark(#ffffff, #2b0a08));
    --_in-call: var(--centrex-color-in-call, light-dark(#1e7b34, #7fd491));
    --_on-hold: var(--centrex-color-on-hold, light-dark(#f2c200, #f2c94c));
    --_on-status: var(--centrex-color-on-status, #111111);
    --_radius: var(--centrex-radius, 8px);
    --_gap: var(--centrex-gap, 0.5rem);
    --_focus: var(--centrex-color-focus, light-dark(#0b5cad, #9cc9ff));
    color-scheme: inherit;
    font: inherit;
    font-family: var(--centrex-font-family, inherit);
    color: var(--_text);
    box-sizing: border-box;
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
`;

/** Buttons, inputs and helpers shared by the elements. */
export const controls = css`
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--_border);
    background: var(--_surface);
    border-radius: var(--_radius);
    padding: 0.4em 0.8em;
    min-block-size: 2.25em;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  button.primary {
    background: var(--_accent);
    color: var(--_on-accent);
    border-color: transparent;
  }
  button.danger {
    background: var(--_danger);
    color: var(--_on-danger);
    border-color: transparent;
  }
  button[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  input,
  select,
  textarea {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.4em 0.6em;
    min-block-size: 2.25em;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .error {
    color: var(--_danger);
  }
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
`;
