import { css } from 'lit';

/** Styles of `<centrex-contacts>`; themable through the `--centrex-contacts-*` custom properties. */
export const contactsStyles = css`
  :host {
    display: block;
    --_tag-global: var(--centrex-contacts-tag-global, var(--_accent));
    --_tag-private: var(--centrex-contacts-tag-private, var(--_muted));
  }
  [part='header'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_gap);
    margin-block-end: var(--_gap);
  }
  h2 {
    font-size: 1.05em;
    margin: 0;
  }
  [part='filters'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    align-items: center;
    margin-block-end: var(--_gap);
  }
  [part='scope-filter'] {
    display: inline-flex;
    gap: 0.25em;
  }
  [part='query'] {
    flex: 1;
    min-inline-size: 10em;
  }
  [part='list'] {
    display: grid;
    gap: var(--_gap);
  }
  [part~='contact'] {
    display: grid;
    gap: 0.3em;
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  [part~='contact'][aria-current='true'] {
    border-color: var(--_accent);
    box-shadow: inset 3px 0 0 var(--_accent);
  }
  .head {
    display: flex;
    align-items: center;
    gap: var(--_gap);
  }
  [part~='name'] {
    border: none;
    background: none;
    padding: 0;
    min-block-size: auto;
    font-weight: 600;
    text-align: start;
    text-decoration: underline transparent;
  }
  [part~='name']:hover {
    text-decoration-color: currentColor;
  }
  [part~='scope-tag'] {
    font-size: 0.75em;
    border-radius: 999px;
    padding: 0.05em 0.6em;
    border: 1px solid currentColor;
  }
  [part~='scope-tag'][data-scope='global'] {
    color: var(--_tag-global);
  }
  [part~='scope-tag'][data-scope='private'] {
    color: var(--_tag-private);
  }
  [part~='company'],
  [part~='email'] {
    color: var(--_muted);
    font-size: 0.9em;
  }
  [part~='email'] {
    color: var(--_accent);
  }
  .numbers {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3em;
  }
  [part~='number'] .label {
    color: var(--_muted);
    margin-inline-end: 0.4em;
  }
  [part~='actions'] {
    display: flex;
    gap: 0.3em;
  }
  [part='form'] {
    display: grid;
    gap: var(--_gap);
    padding: var(--_gap);
    margin-block-end: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .field {
    display: grid;
    gap: 0.2em;
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    display: grid;
    gap: var(--_gap);
  }
  .number-row {
    display: grid;
    grid-template-columns: minmax(5em, 1fr) minmax(8em, 2fr) auto;
    gap: var(--_gap);
    align-items: end;
  }
  .buttons {
    display: flex;
    gap: var(--_gap);
  }
  .empty {
    color: var(--_muted);
  }
  [part='status']:empty {
    display: none;
  }
`;
