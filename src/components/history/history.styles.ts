import { css } from 'lit';

/** Styles of `<centrex-history>`; themable through the `--centrex-history-*` custom properties. */
export const historyStyles = css`
  :host {
    display: block;
    --_icon-in: var(--centrex-history-incoming, var(--_in-call));
    --_icon-out: var(--centrex-history-outgoing, var(--_accent));
    --_icon-missed: var(--centrex-history-missed, var(--_danger));
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
  [part='filter'] {
    display: inline-flex;
    gap: 0.25em;
  }
  [part='list'] {
    display: grid;
    gap: var(--_gap);
  }
  [part~='entry'] {
    display: grid;
    grid-template-columns: auto 1fr auto;
    grid-template-areas:
      'icon peer meta'
      'icon actions actions'
      'details details details';
    gap: 0.2em var(--_gap);
    align-items: center;
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  [part~='direction'] {
    grid-area: icon;
    display: inline-flex;
    color: var(--_icon-in);
  }
  [part~='direction'][data-kind='out'] {
    color: var(--_icon-out);
  }
  [part~='direction'][data-kind='missed'] {
    color: var(--_icon-missed);
  }
  [part~='direction'] svg {
    inline-size: 1.25em;
    block-size: 1.25em;
  }
  .peer {
    grid-area: peer;
    display: grid;
    min-inline-size: 0;
  }
  [part~='peer'] {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part~='entry'][data-missed] [part~='peer'] {
    color: var(--_icon-missed);
  }
  [part~='number'],
  [part~='forwarded-by'] {
    color: var(--_muted);
    font-size: 0.85em;
  }
  [part~='meta'] {
    grid-area: meta;
    display: grid;
    justify-items: end;
    color: var(--_muted);
    font-size: 0.85em;
  }
  [part~='actions'] {
    grid-area: actions;
    display: flex;
    flex-wrap: wrap;
    gap: 0.3em;
  }
  [part~='details'] {
    grid-area: details;
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.2em var(--_gap);
    margin: 0.3em 0 0;
    padding: var(--_gap);
    background: var(--_surface);
    border-radius: var(--_radius);
  }
  [part~='details'][hidden] {
    display: none;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
  }
  .empty {
    color: var(--_muted);
  }
  [part='status']:empty {
    display: none;
  }
`;
