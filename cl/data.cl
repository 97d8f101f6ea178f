/* 2D toy data sampled on the device. Point i uses the Philox blocks ctr+2i and ctr+2i+1
 * (eight uniforms), so any launch shape gives the same points. The parameters are those of
 * MONOFLOW.md (ring8, grid25) and of FFJORD's toy set (the others). */
#define TOY_RING8 0
#define TOY_GRID25 1
#define TOY_SWISSROLL 2
#define TOY_CIRCLES 3
#define TOY_MOONS 4
#define TOY_CHECKERBOARD 5
#define TOY_PINWHEEL 6
#define TOY_2SPIRALS 7

#define TWO_PI 6.28318530717958647692f

/* two standard normals from two uniforms */
inline float2 box_muller(float u1, float u2) {
    float r = sqrt(-2.0f * log(u1 + (1.0f / 16777216.0f)));
    return (float2)(r * cos(TWO_PI * u2), r * sin(TWO_PI * u2));
}

inline float2 toy_point(int kind, float u[8]) {
    float2 n = box_muller(u[6], u[7]);
    switch (kind) {
    case TOY_RING8: {
        float a = TWO_PI * (float)min((int)(u[0] * 8.0f), 7) / 8.0f;
        return (float2)(2.0f * cos(a), 2.0f * sin(a)) + 0.02f * n;
    }
    case TOY_GRID25: {
        int k = min((int)(u[0] * 25.0f), 24);
        return (float2)(-4.0f + 2.0f * (float)(k / 5), -4.0f + 2.0f * (float)(k % 5)) + 0.05f * n;
    }
    case TOY_SWISSROLL: { /* sklearn make_swiss_roll(noise=1.0), columns 0 and 2, / 5 */
        float t = 1.5f * 3.14159265358979f * (1.0f + 2.0f * u[0]);
        return ((float2)(t * cos(t), t * sin(t)) + n) / 5.0f;
    }
    case TOY_CIRCLES: { /* make_circles(factor=0.5, noise=0.08) * 3 */
        float r = u[0] < 0.5f ? 1.0f : 0.5f, a = TWO_PI * u[1];
        return 3.0f * ((float2)(r * cos(a), r * sin(a)) + 0.08f * n);
    }
    case TOY_MOONS: { /* make_moons(noise=0.1) * 2 + (-1, -0.2) */
        float a = 3.14159265358979f * u[1];
        float2 p = u[0] < 0.5f ? (float2)(cos(a), sin(a))
                               : (float2)(1.0f - cos(a), 1.0f - sin(a) - 0.5f);
        return 2.0f * (p + 0.1f * n) + (float2)(-1.0f, -0.2f);
    }
    case TOY_CHECKERBOARD: {
        float x1 = u[0] * 4.0f - 2.0f;
        float x2 = u[1] - (u[2] < 0.5f ? 0.0f : 2.0f);
        x2 += (float)((int)floor(x1) & 1);
        return 2.0f * (float2)(x1, x2);
    }
    case TOY_PINWHEEL: { /* 5 arms, radial std 0.3, tangential std 0.1, rate 0.25 */
        int k = min((int)(u[0] * 5.0f), 4);
        float f0 = 1.0f + 0.3f * n.x, f1 = 0.1f * n.y;
        float a = TWO_PI * (float)k / 5.0f + 0.25f * exp(f0);
        return 2.0f * (float2)(f0 * cos(a) + f1 * sin(a), -f0 * sin(a) + f1 * cos(a));
    }
    default: { /* TOY_2SPIRALS */
        float t = sqrt(u[0]) * 540.0f * TWO_PI / 360.0f;
        float2 p = (float2)(-cos(t) * t + 0.5f * u[1], sin(t) * t + 0.5f * u[2]);
        if (u[3] >= 0.5f) p = -p;
        return p / 3.0f + 0.1f * n;
    }
    }
}

/* out[off + 2i], out[off + 2i + 1] = point i, for i < n */
__kernel void sample_toy(__global float *out, uint off, uint n, int kind, uint key_lo,
                         uint key_hi, ulong ctr) {
    uint i = get_global_id(0);
    if (i >= n) return;
    uint4 a = rng_block(key_lo, key_hi, ctr + 2 * (ulong)i);
    uint4 b = rng_block(key_lo, key_hi, ctr + 2 * (ulong)i + 1);
    float u[8] = {u01(a.x), u01(a.y), u01(a.z), u01(a.w), u01(b.x), u01(b.y), u01(b.z), u01(b.w)};
    float2 p = toy_point(kind, u);
    out[off + 2 * i] = p.x;
    out[off + 2 * i + 1] = p.y;
}

/* rows of a data set chosen at random: out row i = data row (philox(ctr + i).x % rows) */
__kernel void sample_rows(__global float *out, uint off, __global const float *data, uint rows,
                          uint dim, uint n, uint key_lo, uint key_hi, ulong ctr) {
    uint i = get_global_id(0);
    if (i >= n) return;
    uint r = rng_block(key_lo, key_hi, ctr + i).x % rows;
    for (uint j = 0; j < dim; j++) out[off + i * dim + j] = data[(size_t)r * dim + j];
}
