import { css } from 'lit';

/** Styles of `<centrex-settings>`; themable through the `--centrex-settings-*` custom properties. */
export const settingsStyles = css`
  :host {
    display: grid;
    gap: var(--centrex-settings-gap, 1rem);
  }
  section {
    display: grid;
    gap: 0.6em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 0.8em 1em;
    background: var(--centrex-settings-section-background, transparent);
  }
  h2 {
    font-size: 1.1em;
    margin: 0;
  }
  p {
    margin: 0;
  }
  .field {
    display: grid;
    gap: 0.25em;
    margin: 0;
  }
  .field > label {
    font-weight: 600;
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    margin: 0;
    padding: 0.5em 0.8em;
    display: grid;
    gap: 0.3em;
    min-inline-size: 0;
  }
  legend {
    font-weight: 600;
    padding: 0 0.3em;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    align-items: end;
  }
  .row > label {
    display: inline-flex;
    flex-direction: column;
    gap: 0.2em;
  }
  .switch {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  .switch input {
    inline-size: 1.1em;
    block-size: 1.1em;
    margin: 0;
  }
  .switch label {
    font-weight: 600;
  }
  li.switch label {
    font-weight: normal;
  }
  .hint,
  .muted {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .status {
    font-size: 0.9em;
    min-block-size: 1.2em;
  }
  .status.ok {
    color: var(--centrex-settings-saved-color, var(--_in-call));
  }
  .status:empty {
    min-block-size: 0;
  }
  ul.plain {
    display: grid;
    gap: 0.3em;
  }
  .devices li {
    display: flex;
    align-items: center;
    gap: var(--_gap);
  }
  select {
    max-inline-size: 100%;
  }
`;
