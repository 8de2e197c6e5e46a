// The intranet example: the whole web app (<centrex-phone>) inside an ordinary intranet page. The page's own script
// only loads the SDK bundle and switches between a light and a dark theme; everything else is the elements' work.
// The API is on this page's own origin (npm start serves both), so <centrex-provider> needs no server attribute.
import '/dist/cdn/centrex-sdk.js';

const theme = document.getElementById('theme');
theme?.addEventListener('click', () => {
  const dark = document.documentElement.classList.toggle('dark');
  theme.setAttribute('aria-pressed', String(dark));
});
// ?theme=dark opens the page dark (used for the screenshots).
if (new URLSearchParams(location.search).get('theme') === 'dark') theme?.click();
