import { css } from 'lit';

/** Styles of `<centrex-presence>`; themable through the `--centrex-presence-*` custom properties. */
export const presenceStyles = css`
  :host {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    font: inherit;
    color: var(--centrex-text-color, inherit);
  }
  [part='dot'] {
    inline-size: var(--centrex-presence-size, 0.75em);
    block-size: var(--centrex-presence-size, 0.75em);
    border-radius: 50%;
    flex: none;
    background: var(--centrex-presence-offline, #9e9e9e);
  }
  :host([availability='available']) [part='dot'] {
    background: var(--centrex-presence-available, #2e7d32);
  }
  :host([availability='busy']) [part='dot'] {
    background: var(--centrex-presence-busy, #c62828);
  }
  :host([availability='line-free']) [part='dot'] {
    background: var(--centrex-presence-line-free, #1565c0);
  }
  :host([availability='dnd']) [part='dot'] {
    background: var(--centrex-presence-dnd, #6a1b9a);
  }
  :host([compact]) [part='label'] {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
