/* Losses of MonoFlow with their gradients. Each writes, per element, the gradient and the
 * element's share of the loss (`terms`), whose sum (reduce.cl) is the loss. */

/* Logistic D loss on logits d: the first n_real rows are data, the next n_fake generated.
 * loss = mean_real softplus(-d) + mean_fake softplus(d), i.e. minus objective (3). */
__kernel void logistic_loss(__global const float *d, uint n_real, uint n_fake,
                            __global float *grad, __global float *terms) {
    uint i = get_global_id(0);
    if (i >= n_real + n_fake) return;
    float x = d[i];
    if (i < n_real) {
        float inv = 1.0f / (float)n_real;
        terms[i] = softplus(-x) * inv;
        grad[i] = -sigmoid(-x) * inv;
    } else {
        float inv = 1.0f / (float)n_fake;
        terms[i] = softplus(x) * inv;
        grad[i] = sigmoid(x) * inv;
    }
}

/* Generator loss mean(-h(d)) of (11/12), gradient -h'(d)/n. */
__kernel void gen_loss(__global const float *d, uint n, int h, float c, __global float *grad,
                       __global float *terms) {
    uint i = get_global_id(0);
    if (i >= n) return;
    float inv = 1.0f / (float)n;
    terms[i] = -h_value(d[i], h, c) * inv;
    grad[i] = -h_deriv(d[i], h, c) * inv;
}

/* Least-squares fit (8): mean over rows of ||g - t||^2, gradient 2 (g - t) / rows. */
__kernel void fit_loss(__global const float *g, __global const float *t, uint rows, uint dim,
                       __global float *grad, __global float *terms) {
    uint i = get_global_id(0);
    if (i >= rows * dim) return;
    float inv = 1.0f / (float)rows;
    float diff = g[i] - t[i];
    terms[i] = diff * diff * inv;
    grad[i] = 2.0f * diff * inv;
}

/* Softmax cross-entropy of a classifier: logits rows x classes, labels as floats (class
 * index). terms[r] = -log softmax(z_r)[y_r] / rows, grad = (softmax(z_r) - onehot) / rows.
 * One work-item per row; the max is subtracted before exp. */
__kernel void softmax_ce(__global const float *z, __global const float *labels, uint rows,
                         uint classes, __global float *grad, __global float *terms) {
    uint r = get_global_id(0);
    if (r >= rows) return;
    __global const float *zr = z + (size_t)r * classes;
    __global float *gr = grad + (size_t)r * classes;
    float m = zr[0];
    for (uint k = 1; k < classes; k++) m = fmax(m, zr[k]);
    float sum = 0.0f;
    for (uint k = 0; k < classes; k++) sum += exp(zr[k] - m);
    uint y = (uint)labels[r];
    float inv = 1.0f / (float)rows, logsum = log(sum);
    for (uint k = 0; k < classes; k++) gr[k] = (exp(zr[k] - m - logsum) - (k == y)) * inv;
    terms[r] = (logsum + m - zr[y]) * inv;
}
