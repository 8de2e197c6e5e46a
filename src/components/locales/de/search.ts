import type { LocaleTemplates } from './types.js';

/** German texts of the search element(s), by message id. */
export const search: LocaleTemplates = {};
