import { css } from 'lit';

/** Styles of `<centrex-incoming-call>`; themable through the `--centrex-incoming-call-*` custom properties. */
export const incomingCallStyles = css`
  :host {
    display: block;
  }
  .stack {
    position: var(--centrex-incoming-call-position, fixed);
    inset-block-start: var(--centrex-incoming-call-top, 1rem);
    inset-inline-end: var(--centrex-incoming-call-end, 1rem);
    z-index: var(--centrex-incoming-call-z-index, 1000);
    display: grid;
    gap: var(--_gap);
    inline-size: min(var(--centrex-incoming-call-width, 22rem), calc(100vw - 2rem));
  }
  [part~='popup'] {
    display: grid;
    gap: var(--_gap);
    padding: 0.9em 1em;
    background: var(--centrex-incoming-call-background, var(--_bg));
    border: 1px solid var(--_border);
    border-inline-start: 0.4em solid var(--centrex-incoming-call-accent, var(--_accent));
    border-radius: var(--_radius);
    box-shadow: 0 0.5rem 1.5rem rgb(0 0 0 / 0.25);
  }
  [part~='popup']:focus {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  [part~='popup'].background {
    padding: 0.5em 0.75em;
    box-shadow: 0 0.25rem 0.75rem rgb(0 0 0 / 0.2);
  }
  p {
    margin: 0;
  }
  [part='title'] {
    font-size: 0.875em;
    color: var(--_muted);
  }
  [part='name'] {
    font-size: 1.2em;
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .background [part='name'] {
    font-size: 1em;
  }
  [part='number'],
  [part='detail'] {
    overflow-wrap: anywhere;
  }
  [part='via'] {
    font-size: 0.875em;
    padding-inline-start: 0.5em;
    border-inline-start: 0.25em solid var(--centrex-incoming-call-via, light-dark(#b45309, #fbbf24));
  }
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
  }
  [part='actions'] .accept {
    background: var(--centrex-incoming-call-accept, var(--_in-call));
    color: var(--centrex-incoming-call-accept-text, light-dark(#ffffff, #111111));
    border-color: transparent;
    font-weight: 600;
  }
  [part='forward'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    align-items: center;
  }
  [part='forward'] label {
    flex-basis: 100%;
    font-size: 0.875em;
  }
  [part='forward'] input {
    flex: 1;
    min-inline-size: 8rem;
  }
  .error:empty {
    display: none;
  }
`;
