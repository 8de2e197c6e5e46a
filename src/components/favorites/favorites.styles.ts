import { css } from 'lit';

/** Styles of `<centrex-favorites>`; themable through the `--centrex-favorites-*` custom properties. */
export const favoritesStyles = css`
  :host {
    display: block;
    --_lamp-idle: var(--centrex-favorites-lamp-idle, light-dark(#2e7d32, #7fd491));
    --_lamp-ringing: var(--centrex-favorites-lamp-ringing, light-dark(#e0a800, #f2c94c));
    --_lamp-calling: var(--centrex-favorites-lamp-calling, light-dark(#e65100, #ffab70));
    --_lamp-busy: var(--centrex-favorites-lamp-busy, light-dark(#c62828, #ff8a80));
    --_lamp-unknown: var(--centrex-favorites-lamp-unknown, light-dark(#9e9e9e, #757575));
    --_key-width: var(--centrex-favorites-key-width, 11rem);
  }
  [part='header'] {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: var(--_gap);
    margin-block-end: var(--_gap);
  }
  h2 {
    font-size: 1.05em;
    margin: 0;
  }
  [part='list'] {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(var(--_key-width), 1fr));
    gap: var(--_gap);
  }
  :host([editing]) [part='list'] {
    grid-template-columns: 1fr;
  }
  [part~='item'] {
    display: flex;
    align-items: center;
    gap: var(--_gap);
    border-radius: var(--_radius);
  }
  [part~='item'].drop-target {
    outline: 2px dashed var(--_accent);
    outline-offset: 2px;
  }
  [part~='key'] {
    flex: 1;
    display: grid;
    grid-template-columns: auto 1fr auto;
    grid-template-areas: 'lamp name presence' 'lamp target presence';
    align-items: center;
    column-gap: 0.6em;
    text-align: start;
    min-inline-size: 0;
  }
  [part~='lamp'] {
    grid-area: lamp;
    inline-size: 0.8em;
    block-size: 0.8em;
    border-radius: 50%;
    background: var(--_lamp-unknown);
  }
  [part~='lamp'][data-line='idle'] {
    background: var(--_lamp-idle);
  }
  [part~='lamp'][data-line='ringing'] {
    background: var(--_lamp-ringing);
  }
  [part~='lamp'][data-line='calling'] {
    background: var(--_lamp-calling);
  }
  [part~='lamp'][data-line='busy'] {
    background: var(--_lamp-busy);
  }
  [part~='lamp'][data-line='none'] {
    background: transparent;
    border: 1px solid var(--_border);
  }
  @media (prefers-reduced-motion: no-preference) {
    [part~='lamp'][data-line='ringing'] {
      animation: centrex-favorites-blink 1s steps(2, jump-none) infinite;
    }
  }
  @keyframes centrex-favorites-blink {
    50% {
      opacity: 0.25;
    }
  }
  [part~='name'] {
    grid-area: name;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [part~='target'] {
    grid-area: target;
    color: var(--_muted);
    font-size: 0.85em;
  }
  [part~='presence'] {
    grid-area: presence;
  }
  [part~='actions'] {
    display: flex;
    gap: 0.25em;
  }
  [part~='actions'] button {
    padding-inline: 0.5em;
  }
  [part='form'] {
    display: grid;
    gap: var(--_gap);
    margin-block-start: var(--_gap);
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .field {
    display: grid;
    gap: 0.2em;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.85em;
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
