import type { LocaleTemplates } from './types.js';

/** German texts of the history element(s), by message id. */
export const history: LocaleTemplates = {};
