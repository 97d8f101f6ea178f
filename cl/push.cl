/* The MonoFlow push (6): target = x + eps h'(D(x)) grad_x D(x), one work-item per particle.
 * target may be x itself (flow mode moves particles in place). len[i] = the step's length. */
__kernel void push(__global float *target, __global const float *x, __global const float *d,
                   __global const float *grad, uint n, uint dim, int h, float c, float eps,
                   __global float *len) {
    uint i = get_global_id(0);
    if (i >= n) return;
    float s = eps * h_deriv(d[i], h, c), sq = 0.0f;
    for (uint j = 0; j < dim; j++) {
        size_t k = (size_t)i * dim + j;
        float step = s * grad[k];
        target[k] = x[k] + step;
        sq += step * step;
    }
    len[i] = sqrt(sq);
}
