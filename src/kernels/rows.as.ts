// SPDX-License-Identifier: MIT
// AssemblyScript: the host-side passes over a row-major float32 matrix that every fit makes
// before its kernels run (column sums, centering: the centerRows kernel, centerRows/wasm.ts), and
// the copy of rows into groups of four (wasm/kernelModule.ts). Kept here rather than next to
// centerRows/wasm.ts so that the module's bytes stay as they were (see asm/build.mjs). Each
// column's f64 sum is added in row order, as the plain JavaScript loop it replaces does, so the
// results are the same bits; pairs of columns share an f64x2 vector.

/** Adds the `rows` rows [rows, d] f32 at `x` into the f64 column sums [d] at `sums`. */
export function addColumns(x: usize, rows: i32, d: i32, sums: usize): void {
  const pairs = d >> 1;
  const rowBytes = <usize>d << 2;
  for (let i = 0; i < rows; i++) {
    const xi = x + <usize>i * rowBytes;
    for (let p = 0; p < pairs; p++) {
      const s = sums + (<usize>p << 4);
      const v = f64x2.promote_low_f32x4(v128.load64_zero(xi + (<usize>p << 3)));
      v128.store(s, f64x2.add(v128.load(s), v));
    }
    if (d & 1) {
      const s = sums + (<usize>(d - 1) << 3);
      store<f64>(s, load<f64>(s) + <f64>load<f32>(xi + (<usize>(d - 1) << 2)));
    }
  }
}

/**
 * Writes the rows [rows, d] f32 at `x` minus `mean` [d] f64 to `out` (each difference in f64,
 * rounded once to f32), and adds the written values and their squares (f64) into the column
 * sums `sums` and `squares` [d] f64.
 */
export function centerRows(x: usize, rows: i32, d: i32, mean: usize, out: usize, sums: usize, squares: usize): void {
  const pairs = d >> 1;
  const rowBytes = <usize>d << 2;
  for (let i = 0; i < rows; i++) {
    const xi = x + <usize>i * rowBytes;
    const oi = out + <usize>i * rowBytes;
    for (let p = 0; p < pairs; p++) {
      const at = <usize>p << 4;
      const c = f32x4.demote_f64x2_zero(f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(xi + (<usize>p << 3))), v128.load(mean + at)));
      v128.store64_lane(oi + (<usize>p << 3), c, 0);
      const v = f64x2.promote_low_f32x4(c);
      v128.store(sums + at, f64x2.add(v128.load(sums + at), v));
      v128.store(squares + at, f64x2.add(v128.load(squares + at), f64x2.mul(v, v)));
    }
    if (d & 1) {
      const j = <usize>(d - 1);
      const v = <f64>(<f32>(<f64>load<f32>(xi + (j << 2)) - load<f64>(mean + (j << 3))));
      store<f32>(oi + (j << 2), <f32>v);
      store<f64>(sums + (j << 3), load<f64>(sums + (j << 3)) + v);
      store<f64>(squares + (j << 3), load<f64>(squares + (j << 3)) + v * v);
    }
  }
}

/**
 * Writes the rows [rows, d] f32 at `src` into `dst` as groups of four rows [ceil(rows/4), dp, 4]
 * (lane = row; the layout of lloydStep/lloydStep.as.ts). `dst` must be zeroed first: padding is not written.
 */
export function toRowGroups(src: usize, rows: i32, d: i32, dst: usize, dp: i32): void {
  const rowBytes = <usize>d << 2;
  const groupBytes = <usize>dp << 4;
  for (let i = 0; i < rows; i++) {
    const si = src + <usize>i * rowBytes;
    const di = dst + <usize>(i >> 2) * groupBytes + (<usize>(i & 3) << 2);
    for (let f = 0; f < d; f++) store<f32>(di + (<usize>f << 4), load<f32>(si + (<usize>f << 2)));
  }
}
