import { css } from 'lit';

/** Styles of `<centrex-search>`; themable through the `--centrex-search-*` custom properties. */
export const searchStyles = css`
  :host {
    display: block;
    position: relative;
    --_mark-bg: var(--centrex-search-highlight, light-dark(#fff0a8, #5c4d00));
    --_active-bg: var(--centrex-search-active, light-dark(#dbe9f8, #22405f));
    --_results-max: var(--centrex-search-results-max-height, 24rem);
  }
  [part='input'] {
    inline-size: 100%;
  }
  [part='results'] {
    margin: 0.25em 0 0;
    padding: 0.25em 0;
    list-style: none;
    max-block-size: var(--_results-max);
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
  }
  [part='results'][hidden] {
    display: none;
  }
  [part='group'] {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part='heading'] {
    font-size: 0.8em;
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.03em;
    color: var(--_muted);
    padding: 0.4em 0.75em 0.2em;
  }
  .more {
    font-weight: normal;
    text-transform: none;
    margin-inline-start: 0.5em;
  }
  [part~='option'] {
    display: grid;
    grid-template-columns: 1fr auto;
    align-items: center;
    column-gap: var(--_gap);
    padding: 0.35em 0.75em;
    cursor: pointer;
  }
  [part~='option'][aria-selected='true'] {
    background: var(--_active-bg);
    outline: 2px solid var(--_focus);
    outline-offset: -2px;
  }
  [part~='option-detail'] {
    grid-column: 1;
    color: var(--_muted);
    font-size: 0.85em;
  }
  [part~='presence'] {
    grid-row: 1 / span 2;
    grid-column: 2;
  }
  mark {
    background: var(--_mark-bg);
    color: inherit;
    border-radius: 2px;
  }
  [part='empty'] {
    color: var(--_muted);
    margin: 0.25em 0 0;
  }
  [part='status']:empty {
    display: none;
  }
`;
