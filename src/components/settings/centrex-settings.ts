/**
 * Registers `<centrex-settings>`. Import this module (it has that side effect) or call {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexSettings } from './settings.js';

defineElement('centrex-settings', CentrexSettings);

export { CentrexSettings };
export { VOICEMAIL_PIN_PATTERN } from './settings.js';
export type { SettingsField, SettingsSavedDetail } from './settings.js';
