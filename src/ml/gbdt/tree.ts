/**
 * @module ml/gbdt/tree
 * One regression tree as parallel typed arrays (node 0 = root), and how a row walks it. A node is
 * a leaf when `left[i] === -1`; otherwise a row goes left when `x[feature] <= threshold`, and a
 * missing value (NaN) goes left when `defaultLeft[i] === 1`. `bin` is the same threshold in bin
 * units, used during training where rows are binned.
 *
 * @example
 *   leafOf(tree, features, row * cols); // node index of the leaf the row lands in
 *   tree.value[leafOf(...)]              // its margin contribution (learning rate already applied)
 */

export interface Tree {
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly bin: Uint8Array;
  readonly defaultLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Leaf weight (shrinkage applied); 0 for inner nodes. */
  readonly value: Float64Array;
  /** Hessian sum of the training rows that reached the node (TreeSHAP's cover). */
  readonly cover: Float64Array;
  /** Loss reduction of the node's split; 0 for leaves. */
  readonly gain: Float64Array;
}

/** The leaf a row of a row-major matrix lands in; `offset` = row * cols. */
export function leafOf(tree: Tree, x: Float32Array, offset: number): number {
  const { feature, threshold, defaultLeft, left, right } = tree;
  let i = 0;
  while (left[i]! >= 0) {
    const v = x[offset + feature[i]!]!;
    // NaN fails both comparisons, so it must be tested on its own.
    const goLeft = v !== v ? defaultLeft[i] === 1 : v <= threshold[i]!;
    i = goLeft ? left[i]! : right[i]!;
  }
  return i;
}

/** The leaf a row of a column-major binned matrix lands in (training and validation sets). */
export function leafOfBinned(tree: Tree, bins: Uint8Array, rows: number, r: number): number {
  const { feature, bin, defaultLeft, left, right } = tree;
  let i = 0;
  while (left[i]! >= 0) {
    const b = bins[feature[i]! * rows + r]!;
    const goLeft = b === 0 ? defaultLeft[i] === 1 : b <= bin[i]!;
    i = goLeft ? left[i]! : right[i]!;
  }
  return i;
}

/** Depth of the deepest leaf (root alone = 0). */
export function treeDepth(tree: Tree, node = 0): number {
  if (tree.left[node]! < 0) return 0;
  return 1 + Math.max(treeDepth(tree, tree.left[node]!), treeDepth(tree, tree.right[node]!));
}
