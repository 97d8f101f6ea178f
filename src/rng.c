#include "monoflow/rng.h"

#include "internal.h"

void mf_rng_init(mf_rng *r, uint64_t seed) {
    r->seed = seed;
    r->counter = 0;
}

void mf_philox4x32_10(uint64_t seed, uint64_t counter, uint32_t out[4]) {
    uint32_t c0 = (uint32_t)counter, c1 = (uint32_t)(counter >> 32), c2 = 0, c3 = 0;
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    for (int r = 0; r < 10; r++) {
        uint64_t p0 = (uint64_t)0xD2511F53u * c0, p1 = (uint64_t)0xCD9E8D57u * c2;
        uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
        uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
        uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0;
        c1 = lo1;
        c2 = n2;
        c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

static mf_status draw(mf_ctx *c, int kid, mf_rng *r, mf_buf *buf, size_t off, size_t n, float a,
                      float b) {
    MF_ASSERT(off + n <= buf->n && n < (1u << 31));
    if (n == 0) return MF_OK;
    cl_uint uoff = (cl_uint)off, un = (cl_uint)n;
    cl_uint klo = (cl_uint)r->seed, khi = (cl_uint)(r->seed >> 32);
    cl_ulong ctr = r->counter;
    mf_set_args(c->kernels[kid], 8, MF_ARG(buf->mem), MF_ARG(uoff), MF_ARG(un), MF_ARG(klo),
                MF_ARG(khi), MF_ARG(ctr), MF_ARG(a), MF_ARG(b));
    size_t items = (n + 3) / 4;
    r->counter += items;
    return mf_launch(c, kid, items);
}

mf_status mf_rng_uniform(mf_ctx *c, mf_rng *r, mf_buf *buf, size_t off, size_t n, float lo,
                         float hi) {
    return draw(c, MF_K_rng_uniform, r, buf, off, n, lo, hi);
}

mf_status mf_rng_normal(mf_ctx *c, mf_rng *r, mf_buf *buf, size_t off, size_t n, float mean,
                        float std) {
    return draw(c, MF_K_rng_normal, r, buf, off, n, mean, std);
}
