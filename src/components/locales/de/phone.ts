import type { LocaleTemplates } from './types.js';

/** German texts of the phone element(s), by message id. */
export const phone: LocaleTemplates = {};
