import type { LocaleTemplates } from './types.js';

/** German texts of the call-bar element(s), by message id. */
export const callBar: LocaleTemplates = {};
