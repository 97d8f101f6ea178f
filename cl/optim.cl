/* Optimisers over one flat parameter buffer: one launch updates a whole network. */

/* Adam; bc1 = 1/(1-beta1^t) and bc2 = 1/(1-beta2^t) come from the host in double. */
__kernel void adam_step(__global float *p, __global const float *g, __global float *m,
                        __global float *v, uint n, float lr, float beta1, float beta2, float eps,
                        float bc1, float bc2) {
    uint i = get_global_id(0);
    if (i >= n) return;
    float gi = g[i];
    float mi = beta1 * m[i] + (1.0f - beta1) * gi;
    float vi = beta2 * v[i] + (1.0f - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= lr * (mi * bc1) / (sqrt(vi * bc2) + eps);
}

__kernel void sgd_step(__global float *p, __global const float *g, uint n, float lr) {
    uint i = get_global_id(0);
    if (i >= n) return;
    p[i] -= lr * g[i];
}

/* Polyak/EMA average of the parameters: avg <- avg + (1 - decay) (p - avg). */
__kernel void ema_step(__global float *avg, __global const float *p, uint n, float decay) {
    uint i = get_global_id(0);
    if (i >= n) return;
    avg[i] += (1.0f - decay) * (p[i] - avg[i]);
}
