/**
 * @module tasks/recommend/content
 * "Similar products" by text, for the cold start: a product nobody has bought has no co-purchases
 * and no collaborative signal, but it has a title (and maybe a description, category and brand).
 * Products are TF-IDF vectors of those fields; neighbours are ranked by cosine similarity.
 *
 * @example
 *   const cs = await ContentSimilar.fit(wh); // Online Retail
 *   cs.forProduct('22697', 3)[0];
 *   // { productId: '22698', title: 'PINK REGENCY TEACUP AND SAUCER', similarity: 0.90,
 *   //   reason: 'similar description to GREEN REGENCY TEACUP AND SAUCER' }
 *   cs.forProduct('20957', 3, { onlySold: true })[0]; // 20957 has no sales; only products with sales
 *   // { productId: '21422', title: 'PORCELAIN ROSE SMALL', similarity: 0.63, ... }
 */
import { loadBaskets } from '../../features/baskets.js';
import { loadProductText, productDocument, type ProductText } from '../../features/product-text.js';
import { CosineNeighbours } from '../../ml/text/cosine-neighbours.js';
import { fitTfIdf } from '../../ml/text/tfidf.js';
import { tokenise } from '../../ml/text/tokenise.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export interface ContentOptions {
  /** Sales before this instant decide which products count as sold (for `onlySold`). */
  readonly cutoff?: Date;
}

export interface SimilarProduct {
  readonly productId: string;
  readonly title: string | null;
  /** Cosine similarity of the two products' TF-IDF vectors, in (0, 1]. */
  readonly similarity: number;
  readonly reason: string;
}

export class ContentSimilar {
  private readonly rowOf: Map<string, number>;
  private readonly neighbours: CosineNeighbours;

  private constructor(
    readonly text: ProductText,
    /** 1 for products with at least one sales order. */
    private readonly sold: Uint8Array,
  ) {
    this.rowOf = new Map(text.productIds.map((id, i) => [id, i]));
    const docs = text.productIds.map((_, i) => tokenise(productDocument(text, i)));
    this.neighbours = new CosineNeighbours(fitTfIdf(docs).matrix);
  }

  static async fit(wh: Warehouse, options: ContentOptions = {}): Promise<ContentSimilar> {
    const text = await loadProductText(wh);
    const { productIds: soldIds } = await loadBaskets(wh, options);
    return ContentSimilar.fromText(text, soldIds);
  }

  /** From product text and the ids of products that have sales. */
  static fromText(text: ProductText, soldIds: readonly string[] = []): ContentSimilar {
    const row = new Map(text.productIds.map((id, i) => [id, i]));
    const sold = new Uint8Array(text.productIds.length);
    for (const id of soldIds) {
      const i = row.get(id);
      if (i !== undefined) sold[i] = 1;
    }
    return new ContentSimilar(text, sold);
  }

  /** Whether the product has sales orders (false for unknown ids). */
  hasSales(productId: string): boolean {
    const i = this.rowOf.get(productId);
    return i !== undefined && this.sold[i] === 1;
  }

  /**
   * Up to k products whose text is most similar to `productId`'s, best first; [] for an unknown id
   * or a product whose text shares no term with any other. `onlySold` keeps products with sales,
   * the ones a shopper can be shown with confidence that they are real, stocked goods.
   */
  forProduct(productId: string, k = 10, options: { onlySold?: boolean } = {}): SimilarProduct[] {
    const row = this.rowOf.get(productId);
    if (row === undefined || k <= 0) return [];
    const { indices, scores } = this.neighbours.query(row, k, options.onlySold ? this.sold : undefined);
    const name = this.text.title[row] ?? productId;
    return Array.from(indices, (j, i) => ({
      productId: this.text.productIds[j]!,
      title: this.text.title[j] ?? null,
      similarity: scores[i]!,
      reason: `similar description to ${name}`,
    }));
  }
}
