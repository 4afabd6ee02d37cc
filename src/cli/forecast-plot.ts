/**
 * @module cli/forecast-plot
 * `shopsight forecast --plot out.svg`: one series' recent history and its forecast with the 80% and
 * 95% bands, as a self-contained SVG (no library: a polyline and two polygons).
 */
import type { SeriesForecastRow } from '../tasks/forecast/forecast-level.js';

const W = 800;
const H = 320;
const PAD = { left: 60, right: 20, top: 30, bottom: 40 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function forecastSvg(
  row: SeriesForecastRow,
  title: string,
  firstDate: string,
  lastDate: string,
): string {
  const history = Array.from(row.recent);
  const n = history.length;
  const h = row.mean.length;
  const total = n + h;
  const top = Math.max(1e-9, ...history, ...row.hi95);
  const bottom = Math.min(0, ...history, ...row.lo95);
  const x = (i: number): number => PAD.left + ((W - PAD.left - PAD.right) * i) / Math.max(1, total - 1);
  const y = (v: number): number =>
    H - PAD.bottom - ((H - PAD.top - PAD.bottom) * (v - bottom)) / (top - bottom);
  const pts = (xs: number[], vs: ArrayLike<number>): string =>
    xs.map((xi, k) => `${x(xi).toFixed(1)},${y(vs[k]!).toFixed(1)}`).join(' ');
  const future = Array.from({ length: h }, (_, k) => n + k);
  const band = (lo: Float64Array, hi: Float64Array): string =>
    `${pts(future, hi)} ${pts([...future].reverse(), Array.from(lo).reverse())}`;
  const ticks = [bottom, (bottom + top) / 2, top]
    .map(
      (v) =>
        `<text x="${PAD.left - 6}" y="${y(v).toFixed(1)}" text-anchor="end" font-size="11">${v.toFixed(v >= 100 ? 0 : 1)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">
<title>${esc(title)}</title>
<rect width="${W}" height="${H}" fill="white"/>
<text x="${PAD.left}" y="18" font-size="13">${esc(title)}</text>
<polygon points="${band(row.lo95, row.hi95)}" fill="#9ecae1" fill-opacity="0.5"/>
<polygon points="${band(row.lo80, row.hi80)}" fill="#4292c6" fill-opacity="0.5"/>
<polyline points="${pts(
    history.map((_, i) => i),
    history,
  )}" fill="none" stroke="#333" stroke-width="1.2"/>
<polyline points="${pts(future, row.mean)}" fill="none" stroke="#08519c" stroke-width="1.8"/>
<line x1="${x(n - 0.5).toFixed(1)}" x2="${x(n - 0.5).toFixed(1)}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#999" stroke-dasharray="4 3"/>
${ticks}
<text x="${PAD.left}" y="${H - 12}" font-size="11">${esc(firstDate)}</text>
<text x="${W - PAD.right}" y="${H - 12}" font-size="11" text-anchor="end">${esc(lastDate)}</text>
<text x="${W - PAD.right}" y="18" font-size="11" text-anchor="end">history (grey), forecast (blue), 80% and 95% intervals</text>
</svg>
`;
}
