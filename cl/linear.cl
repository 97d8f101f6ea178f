/* The non-GEMM halves of a linear layer: bias plus activation after the product, and the
 * activation's backward fused with the bias gradient. */

/* y[r, c] = act(y[r, c] + b[c]) over rows x cols, in place after y = x W^T. */
__kernel void bias_act(__global float *y, __global const float *params, uint b_off, uint rows,
                       uint cols, int act, float slope) {
    uint i = get_global_id(0);
    if (i >= rows * cols) return;
    y[i] = act_forward(y[i] + params[b_off + i % cols], act, slope);
}

/* One work-item per column: dz = dy * act'(y) (in place allowed: dz may be dy), and the
 * column sum of dz into the bias gradient (overwritten, or added when accumulate). */
__kernel void act_backward_bias(__global float *dz, __global const float *dy,
                                __global const float *y, __global float *grads, uint db_off,
                                uint rows, uint cols, int act, float slope, int bias_mode) {
    uint c = get_global_id(0);
    if (c >= cols) return;
    float sum = 0.0f;
    for (uint r = 0; r < rows; r++) {
        uint i = r * cols + c;
        float g = dy[i] * act_grad_from_output(y[i], act, slope);
        dz[i] = g;
        sum += g;
    }
    /* bias_mode: 0 skip (no parameter gradients wanted), 1 overwrite, 2 accumulate */
    if (bias_mode == 1) grads[db_off + c] = sum;
    else if (bias_mode == 2) grads[db_off + c] += sum;
}
