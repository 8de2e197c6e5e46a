import type { LocaleTemplates } from './types.js';

/** German texts of the forwarding element(s), by message id. */
export const forwarding: LocaleTemplates = {};
