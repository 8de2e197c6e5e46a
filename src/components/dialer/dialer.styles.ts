import { css } from 'lit';

/** Styles of `<centrex-dialer>`; themable through the `--centrex-dialer-*` custom properties. */
export const dialerStyles = css`
  :host {
    display: block;
    max-inline-size: var(--centrex-dialer-width, 18rem);
  }
  form {
    display: grid;
    gap: var(--_gap);
  }
  .field {
    display: flex;
    gap: var(--_gap);
    align-items: stretch;
  }
  .field input {
    flex: 1;
    min-inline-size: 0;
    font-size: 1.25em;
    letter-spacing: 0.04em;
  }
  label {
    font-size: 0.875em;
    color: var(--_muted);
  }
  [part='keypad'] {
    display: grid;
    grid-template-columns: repeat(3, 1fr);
    gap: var(--_gap);
  }
  [part~='key'] {
    display: grid;
    justify-items: center;
    align-content: center;
    min-block-size: var(--centrex-dialer-key-size, 3.25rem);
    padding: 0.25em;
    line-height: 1.1;
    background: var(--centrex-dialer-key-background, var(--_surface));
  }
  [part~='key'] .digit {
    font-size: 1.35em;
  }
  [part~='key'] .letters {
    font-size: 0.65em;
    letter-spacing: 0.12em;
    color: var(--_muted);
    min-block-size: 1em;
  }
  [part='call-button'] {
    inline-size: 100%;
    background: var(--centrex-dialer-call-background, var(--_in-call));
    color: var(--centrex-dialer-call-color, light-dark(#ffffff, #111111));
    border-color: transparent;
    font-weight: 600;
  }
  .device,
  .tones-label {
    margin: 0;
    font-size: 0.875em;
    color: var(--_muted);
  }
  .error {
    margin: 0;
    min-block-size: 0;
  }
  .error:empty {
    display: none;
  }
`;
