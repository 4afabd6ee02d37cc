/**
 * @module ml/dense/onnx-gemm-model
 * The protobuf bytes of a one-node ONNX model, Y = alpha op(A) op(B) (+ beta C), written by hand:
 * a Gemm (opset 13) with symbolic dimensions, so one model serves every shape. Only the handful of
 * ModelProto fields a Gemm needs are encoded (field numbers from onnx/onnx.proto); nothing is read
 * from disk or the network.
 *
 * @example
 *   const bytes = gemmModelBytes({ transA: false, transB: true, withC: false });
 *   // an InferenceSession loads it with inputs A, B (and C) and output Y
 */

export interface GemmModelSpec {
  readonly transA: boolean;
  readonly transB: boolean;
  /** Adds input C (beta = 1): Y = op(A) op(B) + C. */
  readonly withC: boolean;
  /** Scales the product: Y = alpha op(A) op(B) (+ C). Default 1. */
  readonly alpha?: number;
}

/** Protobuf writer for the three wire types used: varint (0), length-delimited (2), fixed32 (5). */
class Pb {
  private readonly bytes: number[] = [];

  private varint(v: number): void {
    let x = v;
    while (x > 127) {
      this.bytes.push((x & 127) | 128);
      x = Math.floor(x / 128);
    }
    this.bytes.push(x);
  }

  int(field: number, v: number): this {
    this.varint(field * 8);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.varint(field * 8 + 5);
    const b = new Uint8Array(Float32Array.of(v).buffer);
    this.bytes.push(...b);
    return this;
  }

  raw(field: number, body: Uint8Array): this {
    this.varint(field * 8 + 2);
    this.varint(body.length);
    this.bytes.push(...body);
    return this;
  }

  str(field: number, s: string): this {
    return this.raw(field, new TextEncoder().encode(s));
  }

  msg(field: number, m: Pb): this {
    return this.raw(field, m.done());
  }

  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTR_FLOAT = 1; // AttributeProto.AttributeType
const ATTR_INT = 2;

/** ValueInfoProto of a float32 rank-2 tensor with symbolic dimensions. */
function tensor2(name: string, rows: string, cols: string): Pb {
  const shape = new Pb().msg(1, new Pb().str(2, rows)).msg(1, new Pb().str(2, cols));
  const tensorType = new Pb().int(1, FLOAT).msg(2, shape);
  return new Pb().str(1, name).msg(2, new Pb().msg(1, tensorType));
}

export function gemmModelBytes(spec: GemmModelSpec): Uint8Array {
  const [ar, ac] = spec.transA ? ['K', 'M'] : ['M', 'K'];
  const [br, bc] = spec.transB ? ['N', 'K'] : ['K', 'N'];
  const node = new Pb().str(1, 'A').str(1, 'B');
  if (spec.withC) node.str(1, 'C');
  node
    .str(2, 'Y')
    .str(3, 'gemm')
    .str(4, 'Gemm')
    .msg(
      5,
      new Pb()
        .str(1, 'transA')
        .int(20, ATTR_INT)
        .int(3, spec.transA ? 1 : 0),
    )
    .msg(
      5,
      new Pb()
        .str(1, 'transB')
        .int(20, ATTR_INT)
        .int(3, spec.transB ? 1 : 0),
    )
    .msg(
      5,
      new Pb()
        .str(1, 'alpha')
        .int(20, ATTR_FLOAT)
        .float(2, spec.alpha ?? 1),
    );
  const graph = new Pb()
    .msg(1, node)
    .str(2, 'gemm')
    .msg(11, tensor2('A', ar, ac))
    .msg(11, tensor2('B', br, bc));
  if (spec.withC) graph.msg(11, tensor2('C', 'M', 'N'));
  graph.msg(12, tensor2('Y', 'M', 'N'));
  return new Pb()
    .int(1, 8) // ir_version 8 (ONNX 1.10+), opset 13 below
    .str(2, 'shopsight')
    .msg(7, graph)
    .msg(8, new Pb().str(1, '').int(2, 13))
    .done();
}
