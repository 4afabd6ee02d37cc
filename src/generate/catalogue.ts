/**
 * @module generate/catalogue
 * The product catalogue: a handful of top categories with subcategories (`Home > Candles`), lognormal
 * prices around a per-subcategory median, Zipf popularity (a few hits, a long tail), search phrases per
 * subcategory, and two non-merchandise lines (postage, gift wrap) as real shops have. Built once, small
 * (products are thousands, not millions), then sampled from in the hot loop through alias tables.
 *
 * @example
 *   const cat = buildCatalogue(rng, 5000);
 *   const p = cat.popular.sample(rng); // a product index, popular ones more often
 */
import { TABLES } from '../schema/tables.js';
import { csvField } from '../core/csv.js';
import { encodeField, type CsvWriter } from './csv-writer.js';
import { AliasTable, zipfWeights, type Rng } from '../core/random.js';

interface SubcategoryDef {
  name: string;
  /** Median list price in GBP; prices are lognormal around it. */
  median: number;
  nouns: string[];
}

interface CategoryDef {
  name: string;
  /** Share of the catalogue and of shoppers' favourite categories. */
  weight: number;
  brands: string[];
  subs: SubcategoryDef[];
}

/** Brand names include non-ASCII letters and an ampersand on purpose: the importer must keep UTF-8 intact. */
const CATEGORIES: CategoryDef[] = [
  {
    name: 'Home',
    weight: 0.24,
    brands: ['Hearth & Co', 'Maison Lumière', 'Nordgård', 'Ember House'],
    subs: [
      { name: 'Candles', median: 12, nouns: ['Candle', 'Tealight Set', 'Pillar Candle', 'Scented Candle'] },
      { name: 'Cushions', median: 22, nouns: ['Cushion', 'Cushion Cover', 'Floor Cushion'] },
      { name: 'Vases', median: 26, nouns: ['Vase', 'Bud Vase', 'Jug'] },
      { name: 'Lighting', median: 45, nouns: ['Table Lamp', 'String Lights', 'Lantern', 'Lampshade'] },
      { name: 'Throws', median: 38, nouns: ['Throw', 'Blanket', 'Quilt'] },
    ],
  },
  {
    name: 'Kitchen',
    weight: 0.2,
    brands: ['Copper Pot', 'Stoneware Studio', 'Kitchenly'],
    subs: [
      { name: 'Mugs', median: 9, nouns: ['Mug', 'Espresso Cup', 'Teacup and Saucer'] },
      { name: 'Tableware', median: 18, nouns: ['Dinner Plate', 'Bowl', 'Platter', 'Napkin Set'] },
      { name: 'Cookware', median: 40, nouns: ['Saucepan', 'Frying Pan', 'Casserole Dish'] },
      { name: 'Storage', median: 14, nouns: ['Storage Jar', 'Bread Bin', 'Lunch Box'] },
    ],
  },
  {
    name: 'Garden',
    weight: 0.12,
    brands: ["Potter's Yard", 'Greenhouse No. 7'],
    subs: [
      { name: 'Planters', median: 20, nouns: ['Planter', 'Plant Pot', 'Hanging Basket'] },
      { name: 'Tools', median: 24, nouns: ['Trowel', 'Pruning Shears', 'Watering Can'] },
      { name: 'Outdoor Lighting', median: 30, nouns: ['Solar Lantern', 'Festoon Lights'] },
    ],
  },
  {
    name: 'Fashion',
    weight: 0.16,
    brands: ['Wren & Willow', 'Atelier Saône', 'Fieldcraft'],
    subs: [
      { name: 'Scarves', median: 18, nouns: ['Scarf', 'Snood', 'Bandana'] },
      { name: 'Bags', median: 45, nouns: ['Tote Bag', 'Backpack', 'Crossbody Bag', 'Laptop Sleeve 15"'] },
      { name: 'Jewellery', median: 30, nouns: ['Necklace', 'Earrings', 'Bracelet'] },
    ],
  },
  {
    name: 'Toys',
    weight: 0.1,
    brands: ['Little Owl', 'Puzzle Hut'],
    subs: [
      { name: 'Puzzles', median: 15, nouns: ['Jigsaw Puzzle', 'Wooden Puzzle'] },
      { name: 'Plush', median: 14, nouns: ['Plush Bear', 'Soft Toy'] },
      { name: 'Games', median: 25, nouns: ['Board Game', 'Card Game'] },
    ],
  },
  {
    name: 'Stationery',
    weight: 0.1,
    brands: ['Paper Lane', 'Inkwell'],
    subs: [
      { name: 'Notebooks', median: 8, nouns: ['Notebook', 'Journal', 'Sketchbook'] },
      { name: 'Cards', median: 3.5, nouns: ['Greeting Card', 'Birthday Card', 'Postcard Set'] },
      { name: 'Wrapping', median: 4, nouns: ['Wrapping Paper', 'Gift Tags', 'Ribbon'] },
    ],
  },
  {
    name: 'Beauty',
    weight: 0.08,
    brands: ['Bloom Botanics', 'Sea Salt Spa'],
    subs: [
      { name: 'Skincare', median: 22, nouns: ['Face Cream', 'Serum', 'Lip Balm'] },
      { name: 'Bath', median: 10, nouns: ['Bath Salts', 'Soap Bar', 'Bath Bomb'] },
    ],
  },
];

const STYLES = [
  'Vintage', 'Classic', 'Rustic', 'Nordic', 'Botanical', 'Striped', 'Gold', 'Sage Green', 'Navy', 'Terracotta',
  'Linen', 'Velvet', 'Ceramic', 'Oak', 'Marble', 'Mini', 'Large', 'Hand-painted', 'Retro', 'Café', 'Rosé', 'Coastal',
]; // prettier-ignore

const SUFFIXES = ['', '', '', '', '', ', Set of 2', ', Set of 4', ' – Limited Edition'];
const MATERIALS = ['recycled glass', 'stoneware', 'organic cotton', 'FSC oak', 'brushed steel', 'soy wax'];
const COLOURS = ['Sage', 'Navy', 'Ochre', 'Blush', 'Charcoal', 'Ivory', 'Teal'];
const TYPO_QUERIES = ['candel', 'cusion', 'jewelery', 'notebok', 'mug, large'];

/** Zipf exponent of product popularity: ~20% of products take ~70% of views at this catalogue size. */
const POPULARITY_EXPONENT = 1.05;

export const NON_MERCHANDISE = [
  { id: 'POST', title: 'Postage', pence: 395 },
  { id: 'GIFTWRAP', title: 'Gift wrap', pence: 250 },
] as const;

/** A weighted subset of products: an alias table over members. */
export interface ProductPool {
  members: Int32Array;
  table: AliasTable;
}

export interface Catalogue {
  /** Merchandise products are 0..merchandiseCount-1; the non-merchandise lines follow. */
  readonly merchandiseCount: number;
  readonly count: number;
  /** Product ids as they appear in the CSVs, pre-encoded. */
  readonly idBytes: Uint8Array[];
  readonly ids: string[];
  /** List price in pence. */
  readonly pricePence: Int32Array;
  readonly topOf: Uint8Array;
  readonly subOf: Uint16Array;
  readonly topNames: string[];
  readonly topWeights: number[];
  /** Popularity-weighted samplers: all merchandise, per top category, per subcategory. */
  readonly popular: ProductPool;
  readonly byTop: ProductPool[];
  readonly bySub: ProductPool[];
  /** Search phrases per subcategory, pre-encoded CSV fields. */
  readonly queries: Uint8Array[][];
  readonly postage: number;
  readonly giftWrap: number;
  readonly titles: string[];
  readonly descriptions: string[];
  readonly brands: string[];
  readonly categoryPaths: string[];
  readonly inStock: Uint8Array;
  readonly attributes: string[];
}

export function buildCatalogue(rng: Rng, merchandiseCount: number): Catalogue {
  const subs = CATEGORIES.flatMap((c, top) => c.subs.map((s) => ({ top, cat: c, sub: s })));
  const subWeights = subs.map((s) => s.cat.weight / s.cat.subs.length);
  const subSampler = new AliasTable(subWeights);
  const count = merchandiseCount + NON_MERCHANDISE.length;
  const idWidth = Math.max(5, String(merchandiseCount).length);

  const ids: string[] = [];
  const pricePence = new Int32Array(count);
  const topOf = new Uint8Array(count);
  const subOf = new Uint16Array(count);
  const titles: string[] = [];
  const descriptions: string[] = [];
  const brands: string[] = [];
  const categoryPaths: string[] = [];
  const inStock = new Uint8Array(count);
  const attributes: string[] = [];

  for (let i = 0; i < merchandiseCount; i++) {
    // The first products cover every subcategory so small catalogues still have them all.
    const s = i < subs.length ? i : subSampler.sample(rng);
    const { top, cat, sub } = subs[s]!;
    const noun = pick(rng, sub.nouns);
    const style = pick(rng, STYLES);
    const brand = pick(rng, cat.brands);
    const colour = pick(rng, COLOURS);
    const material = pick(rng, MATERIALS);
    ids.push('P' + String(i + 1).padStart(idWidth, '0'));
    pricePence[i] = roundPrice(rng.lognormal(Math.log(sub.median), 0.45));
    topOf[i] = top;
    subOf[i] = s;
    titles.push(`${style} ${noun}${pick(rng, SUFFIXES)}`);
    descriptions.push(`${style} ${noun.toLowerCase()} in ${colour.toLowerCase()}, made from ${material}.`);
    brands.push(brand);
    categoryPaths.push(`${cat.name} > ${sub.name}`);
    inStock[i] = rng.chance(0.94) ? 1 : 0;
    attributes.push(JSON.stringify({ colour, material }));
  }
  NON_MERCHANDISE.forEach((item, k) => {
    const i = merchandiseCount + k;
    ids.push(item.id);
    pricePence[i] = item.pence;
    topOf[i] = 255;
    subOf[i] = 65535;
    titles.push(item.title);
    descriptions.push('');
    brands.push('');
    categoryPaths.push('');
    inStock[i] = 1;
    attributes.push('');
  });

  // Popularity rank is a random permutation so hits are spread over categories.
  const zipf = zipfWeights(merchandiseCount, POPULARITY_EXPONENT);
  const weight = new Float64Array(merchandiseCount);
  const order = shuffledRange(rng, merchandiseCount);
  for (let r = 0; r < merchandiseCount; r++) weight[order[r]!] = zipf[r]!;

  const pool = (keep: (i: number) => boolean): ProductPool => {
    const members: number[] = [];
    for (let i = 0; i < merchandiseCount; i++) if (keep(i)) members.push(i);
    return { members: Int32Array.from(members), table: new AliasTable(members.map((i) => weight[i]!)) };
  };

  const queries = subs.map(({ cat, sub }) => {
    const phrases = new Set<string>([sub.name.toLowerCase(), ...sub.nouns.map((n) => n.toLowerCase())]);
    phrases.add(`${cat.brands[0]!.toLowerCase()} ${sub.nouns[0]!.toLowerCase()}`);
    phrases.add(`${STYLES[sub.name.length % STYLES.length]!.toLowerCase()} ${sub.nouns[0]!.toLowerCase()}`);
    return [...phrases].map((q) => encodeField(q));
  });
  // Misspellings and a phrase with a comma land in the first subcategory lists, as shoppers type them.
  TYPO_QUERIES.forEach((q, k) => queries[k % queries.length]!.push(encodeField(q)));

  return {
    merchandiseCount,
    count,
    ids,
    idBytes: ids.map((id) => encodeField(id)),
    pricePence,
    topOf,
    subOf,
    topNames: CATEGORIES.map((c) => c.name),
    topWeights: CATEGORIES.map((c) => c.weight),
    popular: pool(() => true),
    byTop: CATEGORIES.map((_, t) => pool((i) => topOf[i] === t)),
    bySub: subs.map((_, s) => pool((i) => subOf[i] === s)),
    queries,
    postage: merchandiseCount,
    giftWrap: merchandiseCount + 1,
    titles,
    descriptions,
    brands,
    categoryPaths,
    inStock,
    attributes,
  };
}

/** Draws a product from a pool. */
export function samplePool(pool: ProductPool, rng: Rng): number {
  return pool.members[pool.table.sample(rng)]!;
}

/** products.csv in canonical column order. */
export async function writeProducts(w: CsvWriter, cat: Catalogue, currency: string): Promise<void> {
  w.header(TABLES.products.columns.map((c) => c.name));
  for (let i = 0; i < cat.count; i++) {
    if (w.needsDrain) await w.drain();
    const merch = i < cat.merchandiseCount;
    w.raw(cat.idBytes[i]!);
    w.comma();
    w.text(csvField(cat.titles[i]!));
    w.comma();
    w.text(csvField(cat.descriptions[i]!));
    w.comma();
    w.text(csvField(cat.categoryPaths[i]!));
    w.comma();
    w.text(csvField(cat.brands[i]!));
    w.comma();
    w.money(cat.pricePence[i]!);
    w.comma();
    w.ascii(currency);
    w.comma();
    w.ascii(cat.inStock[i] ? 'true' : 'false');
    w.comma();
    w.ascii(merch ? 'true' : 'false');
    w.comma();
    w.text(csvField(cat.attributes[i]!));
    w.endRow();
  }
}

/** Shop-like price points: 12.99, 44.99; small items in 5p steps. */
function roundPrice(gbp: number): number {
  if (gbp < 5) return Math.max(50, Math.round(gbp * 20) * 5);
  return Math.ceil(gbp) * 100 - 1;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

function shuffledRange(rng: Rng, n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}
