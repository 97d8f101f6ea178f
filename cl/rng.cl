/* Counter-based random numbers: Philox4x32-10 (Salmon et al. 2011). Work-item i turns the
 * counter base+i under the key (the seed) into four values, so any launch shape gives the
 * same numbers, reproducible from the seed alone. */
/* no fused multiply-add here: the numbers must be the same on every device and host */
#pragma OPENCL FP_CONTRACT OFF

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

inline uint4 philox4x32_10(uint4 c, uint2 k) {
    for (int r = 0; r < 10; r++) {
        uint hi0 = mul_hi(PHILOX_M0, c.x), lo0 = PHILOX_M0 * c.x;
        uint hi1 = mul_hi(PHILOX_M1, c.z), lo1 = PHILOX_M1 * c.z;
        c = (uint4)(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
        k += (uint2)(PHILOX_W0, PHILOX_W1);
    }
    return c;
}

inline uint4 rng_block(uint key_lo, uint key_hi, ulong ctr) {
    return philox4x32_10((uint4)((uint)ctr, (uint)(ctr >> 32), 0u, 0u),
                         (uint2)(key_lo, key_hi));
}

/* [0, 1) with 24 random bits */
inline float u01(uint x) { return (float)(x >> 8) * (1.0f / 16777216.0f); }

/* out[off + j] for j < n: uniform in [lo, hi) */
__kernel void rng_uniform(__global float *out, uint off, uint n, uint key_lo, uint key_hi,
                          ulong ctr, float lo, float hi) {
    uint i = get_global_id(0), j = 4 * i;
    if (j >= n) return;
    uint4 r = rng_block(key_lo, key_hi, ctr + i);
    float s = hi - lo;
    out[off + j] = lo + s * u01(r.x);
    if (j + 1 < n) out[off + j + 1] = lo + s * u01(r.y);
    if (j + 2 < n) out[off + j + 2] = lo + s * u01(r.z);
    if (j + 3 < n) out[off + j + 3] = lo + s * u01(r.w);
}

/* out[off + j]: normal(mean, std) by Box-Muller on pairs; u1 in (0, 1] keeps log finite */
__kernel void rng_normal(__global float *out, uint off, uint n, uint key_lo, uint key_hi,
                         ulong ctr, float mean, float std) {
    uint i = get_global_id(0), j = 4 * i;
    if (j >= n) return;
    uint4 r = rng_block(key_lo, key_hi, ctr + i);
    float ra = sqrt(-2.0f * log(u01(r.x) + (1.0f / 16777216.0f)));
    float rb = sqrt(-2.0f * log(u01(r.z) + (1.0f / 16777216.0f)));
    float ta = 6.28318530717958647692f * u01(r.y), tb = 6.28318530717958647692f * u01(r.w);
    out[off + j] = mean + std * ra * cos(ta);
    if (j + 1 < n) out[off + j + 1] = mean + std * ra * sin(ta);
    if (j + 2 < n) out[off + j + 2] = mean + std * rb * cos(tb);
    if (j + 3 < n) out[off + j + 3] = mean + std * rb * sin(tb);
}

#pragma OPENCL FP_CONTRACT ON
