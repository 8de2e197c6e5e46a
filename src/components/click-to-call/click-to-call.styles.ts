import { css } from 'lit';

/** Styles of `<centrex-click-to-call>`; themable through the `--centrex-click-to-call-*` custom properties. */
export const clickToCallStyles = css`
  :host {
    display: inline-flex;
    align-items: center;
    flex-wrap: wrap;
    vertical-align: middle;
    row-gap: 0.25em;
  }
  [part='button'] {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    background: var(--centrex-click-to-call-background, var(--_accent));
    color: var(--centrex-click-to-call-color, var(--_on-accent));
    border-color: transparent;
    border-radius: var(--centrex-click-to-call-radius, var(--_radius));
    padding: var(--centrex-click-to-call-padding, 0.4em 0.8em);
    font-variant-numeric: tabular-nums;
  }
  [part='button'][aria-disabled='true'] {
    cursor: not-allowed;
    /* Not faded by opacity: the reason must stay readable, so the colours keep their contrast. */
    background: var(--centrex-click-to-call-disabled-background, var(--_surface));
    color: var(--centrex-click-to-call-disabled-color, var(--_muted));
    border-color: var(--_border);
  }
  :host([appearance='link']) [part='button'] {
    background: none;
    border: none;
    padding: 0;
    min-block-size: 0;
    color: var(--centrex-click-to-call-link-color, var(--_accent));
    text-decoration: underline;
    text-underline-offset: 0.15em;
  }
  :host([appearance='link']) [part='button'][aria-disabled='true'] {
    color: var(--centrex-click-to-call-disabled-color, var(--_muted));
    text-decoration: none;
  }
  .icon {
    inline-size: var(--centrex-click-to-call-icon-size, 1em);
    block-size: var(--centrex-click-to-call-icon-size, 1em);
    flex: none;
    fill: currentColor;
  }
  [part='state'] {
    margin-inline-start: var(--_gap);
    font-size: var(--centrex-click-to-call-state-font-size, 0.875em);
    color: var(--centrex-click-to-call-state-color, var(--_muted));
    font-variant-numeric: tabular-nums;
  }
  [part='state']:empty {
    margin: 0;
  }
  [part='state'].in-call {
    color: var(--centrex-click-to-call-in-call-color, var(--_in-call));
  }
  [part='state'].failed {
    color: var(--_danger);
  }
  [part='hangup'] {
    margin-inline-start: var(--_gap);
    padding: 0.2em 0.6em;
    min-block-size: 0;
  }
`;
