import { css } from 'lit';

/** Styles of `<centrex-phone>`: the manual's five areas in a grid that folds to one column on narrow hosts. */
export const phoneStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    min-block-size: var(--centrex-phone-min-height, 28rem);
  }
  .layout {
    display: grid;
    grid-template-columns: var(--centrex-phone-menu-width, 11rem) 1fr var(--centrex-phone-favorites-width, 15rem);
    grid-template-rows: auto 1fr;
    grid-template-areas:
      'app-menu search-bar search-bar'
      'phone-menu call-area favorites';
    min-block-size: inherit;
  }
  @container (max-width: 46rem) {
    .layout {
      grid-template-columns: 1fr;
      grid-template-areas: 'app-menu' 'search-bar' 'phone-menu' 'call-area' 'favorites';
    }
  }
  [part='app-menu'] {
    grid-area: app-menu;
    position: relative;
    padding: var(--_gap);
    border-block-end: 1px solid var(--_border);
  }
  [part='search-bar'] {
    grid-area: search-bar;
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    align-items: center;
    padding: var(--_gap);
    border-block-end: 1px solid var(--_border);
  }
  [part='search-bar'] centrex-search {
    flex: 1 1 14rem;
  }
  [part='phone-menu'] {
    grid-area: phone-menu;
    display: flex;
    flex-direction: column;
    gap: 2px;
    padding: var(--_gap);
    background: var(--_surface);
  }
  [part='phone-menu'] [role='tab'] {
    text-align: start;
    border-color: transparent;
    background: transparent;
  }
  [part='phone-menu'] [role='tab'][aria-selected='true'] {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  [part='call-area'] {
    grid-area: call-area;
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    padding: var(--_gap);
    min-inline-size: 0;
  }
  [part='call-area'].drop-target {
    outline: 2px dashed var(--_accent);
    outline-offset: -4px;
  }
  [part='favorites'] {
    grid-area: favorites;
    padding: var(--_gap);
    border-inline-start: 1px solid var(--_border);
  }
  .menu-toggle {
    inline-size: 100%;
    text-align: start;
    display: grid;
    gap: 2px;
  }
  .menu-toggle .device {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .menu {
    position: absolute;
    z-index: 2;
    inset-inline-start: var(--_gap);
    inset-block-start: calc(100% - var(--_gap));
    inline-size: max(18rem, 100%);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_gap);
    display: grid;
    gap: var(--_gap);
    box-shadow: 0 4px 18px rgb(0 0 0 / 0.2);
  }
  fieldset {
    border: 0;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 4px;
  }
  legend {
    font-weight: 600;
    margin-block-end: 4px;
  }
  label {
    display: flex;
    gap: 0.5em;
    align-items: center;
  }
  form.add-device,
  form.sign-in {
    display: grid;
    gap: var(--_gap);
  }
  form.sign-in {
    max-inline-size: 22rem;
    margin: 2rem auto;
    padding: var(--_gap);
  }
  form.sign-in label {
    display: grid;
    gap: 2px;
  }
  .shortcuts {
    display: flex;
    gap: var(--_gap);
    flex-wrap: wrap;
    align-items: center;
  }
  .devices-panel {
    display: grid;
    gap: 4px;
  }
  .status-line {
    color: var(--_muted);
    font-size: 0.9em;
    margin: 0;
  }
  /* The live region stays in the page (so screen readers announce what appears in it) but takes no room empty. */
  .status-line:empty {
    display: block;
    block-size: 0;
    overflow: hidden;
  }
`;
