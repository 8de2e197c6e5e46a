import type { LocaleTemplates } from './types.js';

/** German texts of the settings element(s), by message id. */
export const settings: LocaleTemplates = {};
