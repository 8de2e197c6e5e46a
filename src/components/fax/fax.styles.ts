import { css } from 'lit';

/** Styles of `<centrex-fax>`; themable through the `--centrex-fax-*` custom properties. */
export const faxStyles = css`
  :host {
    display: block;
    --_drop-border: var(--centrex-fax-drop-border, var(--_border));
    --_drop-active: var(--centrex-fax-drop-active, color-mix(in srgb, var(--_accent) 12%, transparent));
    --_thumbnail: var(--centrex-fax-thumbnail-width, 6rem);
    --_cover-width: var(--centrex-fax-cover-preview-width, 14rem);
    --_snackbar-bg: var(--centrex-fax-snackbar-background, light-dark(#323232, #e8eaed));
    --_snackbar-fg: var(--centrex-fax-snackbar-color, light-dark(#ffffff, #202124));
    --_sent: var(--centrex-fax-sent, var(--_in-call));
    --_failed: var(--centrex-fax-failed, var(--_danger));
  }
  .base {
    display: grid;
    gap: calc(var(--_gap) * 2);
  }
  h2,
  h3,
  h4 {
    margin: 0;
  }
  h2 {
    font-size: 1.2em;
  }
  h3 {
    font-size: 1.05em;
  }
  h4 {
    font-size: 1em;
  }
  .muted,
  .hint,
  .meta,
  figcaption {
    color: var(--_muted);
  }
  p {
    margin: 0;
  }
  .error:empty,
  .hint:empty {
    display: none;
  }
  .warning {
    color: var(--_text);
    border-inline-start: 3px solid var(--_on-hold);
    padding-inline-start: 0.5em;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_gap);
  }
  .field {
    display: grid;
    gap: 0.25em;
  }
  .field input,
  .field select,
  .field textarea {
    inline-size: 100%;
    max-inline-size: 32rem;
  }
  textarea {
    resize: vertical;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }
  .extensions,
  .send,
  .link-form,
  .cover-editor,
  .cover-controls,
  .document {
    display: grid;
    gap: var(--_gap);
  }
  .link-form,
  .cover-editor,
  .confirm {
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  .extensions {
    justify-items: start;
  }
  .cover {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_gap);
    margin: 0;
  }
  .cover-layout {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_gap) * 2);
    align-items: start;
  }
  .cover-controls {
    flex: 1 1 16rem;
  }
  .cover-preview {
    margin: 0;
    inline-size: var(--_cover-width);
    display: grid;
    gap: 0.25em;
  }
  .sheet {
    aspect-ratio: 210 / 297;
    display: grid;
    place-items: center;
    border: 1px solid var(--_border);
    background: #ffffff;
    color: #1b1f23;
    overflow: hidden;
  }
  .sheet p {
    padding: var(--_gap);
    text-align: center;
    color: #56606b;
  }
  canvas {
    display: block;
    inline-size: 100%;
    block-size: auto;
  }
  .drop {
    display: grid;
    justify-items: center;
    gap: var(--_gap);
    padding: calc(var(--_gap) * 2);
    border: 2px dashed var(--_drop-border);
    border-radius: var(--_radius);
    text-align: center;
  }
  .drop.dragging {
    border-color: var(--_accent);
    background: var(--_drop-active);
  }
  .file-name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .pages {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap);
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .page {
    inline-size: var(--_thumbnail);
    display: grid;
    gap: 0.2em;
    font-size: 0.85em;
    color: var(--_muted);
    text-align: center;
  }
  .page canvas {
    border: 1px solid var(--_border);
  }
  .history {
    display: grid;
    gap: var(--_gap);
  }
  .list {
    display: grid;
    gap: var(--_gap);
  }
  .entry {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.2em var(--_gap);
    align-items: center;
    padding: var(--_gap);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .entry-main {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em var(--_gap);
    align-items: baseline;
  }
  .entry .meta {
    grid-column: 1;
    font-size: 0.9em;
  }
  .entry .download {
    grid-column: 2;
    grid-row: 1 / span 2;
  }
  .peer {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .state[data-state='sent'] {
    color: var(--_sent);
  }
  .state[data-state='failed'] {
    color: var(--_failed);
  }
  .snackbar {
    position: sticky;
    inset-block-end: var(--_gap);
    justify-self: center;
    padding: 0.75em 1.25em;
    border-radius: var(--_radius);
    background: var(--_snackbar-bg);
    color: var(--_snackbar-fg);
    box-shadow: 0 2px 8px rgb(0 0 0 / 0.3);
  }
  .snackbar:not(.shown) {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    padding: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
