import { css } from 'lit';

/** Styles of `<centrex-call-bar>`; themable through the `--centrex-call-bar-*` custom properties. */
export const callBarStyles = css`
  :host {
    display: block;
    --_bar-in-call: var(--centrex-call-bar-in-call, var(--_in-call));
    --_bar-on-hold: var(--centrex-call-bar-on-hold, var(--_on-hold));
    /* White on the light theme's dark green, dark on the dark theme's light green and on yellow: readable (AA). */
    --_bar-in-call-text: var(--centrex-call-bar-in-call-text, light-dark(#ffffff, #111111));
    --_bar-on-hold-text: var(--centrex-call-bar-on-hold-text, var(--_on-status));
  }
  .bar {
    display: grid;
    gap: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding-block-end: var(--_gap);
    background: var(--_bg);
    overflow: hidden;
  }
  .bar.drop-ready {
    outline: 2px dashed var(--_accent);
    outline-offset: 2px;
  }
  [part='banner'] {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25em 0.75em;
    padding: 0.6em 0.9em;
    background: var(--_surface);
    color: var(--_text);
  }
  [part='banner'].in-call {
    background: var(--_bar-in-call);
    color: var(--_bar-in-call-text);
  }
  [part='banner'].on-hold {
    background: var(--_bar-on-hold);
    color: var(--_bar-on-hold-text);
  }
  .status {
    font-weight: 600;
  }
  .name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  [part='duration'] {
    margin-inline-start: auto;
    font-variant-numeric: tabular-nums;
  }
  .note,
  .via {
    margin: 0;
    padding-inline: 0.9em;
    font-size: 0.875em;
  }
  [part='actions'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    padding-inline: 0.9em;
  }
  .panel {
    display: grid;
    gap: var(--_gap);
    padding-inline: 0.9em;
  }
  .panel .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
  }
  .panel input {
    flex: 1;
    min-inline-size: 8rem;
  }
  [part='calls'] {
    display: grid;
    gap: 0.25rem;
    padding-inline: 0.9em;
  }
  [part='calls'] li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25em 0.75em;
    padding: 0.35em 0.5em;
    border-inline-start: 0.35em solid var(--_border);
    background: var(--_surface);
    border-radius: calc(var(--_radius) / 2);
  }
  [part='calls'] li.in-call {
    border-inline-start-color: var(--_bar-in-call);
  }
  [part='calls'] li.on-hold {
    border-inline-start-color: var(--_bar-on-hold);
  }
  [part='calls'] li[draggable='true'] {
    cursor: grab;
  }
  [part='calls'] .row-state {
    font-size: 0.875em;
  }
  [part='calls'] .row-duration {
    font-variant-numeric: tabular-nums;
  }
  [part='calls'] .row-actions {
    display: flex;
    gap: 0.25rem;
    margin-inline-start: auto;
  }
  [part='video'] {
    position: relative;
    margin-inline: 0.9em;
    background: var(--centrex-call-bar-video-background, #3a3f45);
    border-radius: var(--_radius);
    aspect-ratio: 16 / 9;
    overflow: hidden;
  }
  [part='remote-video'] {
    inline-size: 100%;
    block-size: 100%;
    object-fit: contain;
    display: block;
  }
  [part='local-video'] {
    position: absolute;
    inset-block-start: 0.5rem;
    inset-inline-end: 0.5rem;
    inline-size: 28%;
    border-radius: calc(var(--_radius) / 2);
    border: 2px solid var(--_bg);
    background: #000;
  }
  [part='video'] .fullscreen {
    position: absolute;
    inset-block-end: 0.5rem;
    inset-inline-end: 0.5rem;
  }
  .drop-hint {
    margin: 0;
    padding-inline: 0.9em;
    font-weight: 600;
    color: var(--_accent);
  }
  .error {
    margin: 0;
    padding-inline: 0.9em;
  }
  [part='ended'] {
    margin: 0;
    padding: 0.5em 0.9em;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  button.danger {
    font-weight: 600;
  }
`;
