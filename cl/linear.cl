/* The non-GEMM halves of a linear layer: bias plus activation after the product, and the
 * activation's backward fused with the bias gradient. */

/* y[r, c] = act(y[r, c] + b[c]) over rows x cols, in place after y = x W^T. Work-item
 * (c, g) covers column c of rows g*per_item.., so neighbours touch neighbouring floats and
 * no index needs a division. */
__kernel void bias_act(__global float *y, __global const float *params, uint b_off, uint rows,
                       uint cols, int act, float slope, uint per_item) {
    uint c = get_global_id(0), r0 = get_global_id(1) * per_item;
    if (c >= cols) return;
    float b = params[b_off + c];
    uint r1 = min(r0 + per_item, rows);
    for (uint r = r0; r < r1; r++) y[r * cols + c] = act_forward(y[r * cols + c] + b, act, slope);
}

/* dz = dy * act'(y) (in place allowed: dz may be dy) by the same blocks as bias_act, each
 * block's column sum of dz into partial[g, c] (when partial_sums). col_sum adds them up. */
__kernel void act_backward_bias(__global float *dz, __global const float *dy,
                                __global const float *y, __global float *partial, uint rows,
                                uint cols, int act, float slope, int partial_sums,
                                uint per_item) {
    uint c = get_global_id(0), g = get_global_id(1), r0 = g * per_item;
    if (c >= cols) return;
    uint r1 = min(r0 + per_item, rows);
    float sum = 0.0f;
    for (uint r = r0; r < r1; r++) {
        uint i = r * cols + c;
        float d = dy[i] * act_grad_from_output(y[i], act, slope);
        dz[i] = d;
        sum += d;
    }
    if (partial_sums) partial[g * cols + c] = sum;
}

/* grads[db_off + c] = (or +=, when accumulate) the sum over the groups of partial[g, c] */
__kernel void col_sum(__global const float *partial, uint groups, uint cols,
                      __global float *grads, uint db_off, int accumulate) {
    uint c = get_global_id(0);
    if (c >= cols) return;
    float sum = 0.0f;
    for (uint g = 0; g < groups; g++) sum += partial[g * cols + c];
    grads[db_off + c] = accumulate ? grads[db_off + c] + sum : sum;
}
