/* Counter-based random numbers on the device (Philox4x32-10). The state is a seed and a
 * counter kept on the host: every draw of n numbers uses ceil(n/4) counters, so a run is
 * reproducible from the seed and resumable from (seed, counter). */
#ifndef MONOFLOW_RNG_H
#define MONOFLOW_RNG_H

#include <stdint.h>

#include "monoflow/buffer.h"

typedef struct {
    uint64_t seed;
    uint64_t counter;
} mf_rng;

void mf_rng_init(mf_rng *r, uint64_t seed);

/* buf[off .. off+n) uniform in [lo, hi) / normal(mean, std); enqueued, no host wait. */
mf_status mf_rng_uniform(mf_ctx *ctx, mf_rng *r, mf_buf *buf, size_t off, size_t n, float lo,
                         float hi);
mf_status mf_rng_normal(mf_ctx *ctx, mf_rng *r, mf_buf *buf, size_t off, size_t n, float mean,
                        float std);

/* The same generator on the host, for references and tests: the 4 words for a counter. */
void mf_philox4x32_10(uint64_t seed, uint64_t counter, uint32_t out[4]);

#endif
