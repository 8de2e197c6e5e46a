/**
 * Registers `<centrex-favorites>`. Import this module (it has that side effect) or call {@link defineElement} yourself.
 * @packageDocumentation
 */
import { defineElement } from '../define-element.js';
import { CentrexFavorites } from './favorites.js';

defineElement('centrex-favorites', CentrexFavorites);

export { CentrexFavorites };
export { FAVORITE_DRAG_TYPE, type FavoriteDragData } from './favorites.js';
export type { CallRequestDetail } from '../shared/call-request.js';
