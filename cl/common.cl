/* Shared definitions: activation and h codes (they match mf_act and mf_h in the headers). */
#define ACT_IDENTITY 0
#define ACT_RELU 1
#define ACT_LEAKY_RELU 2
#define ACT_TANH 3
#define ACT_SIGMOID 4

#define H_LOGIT 0
#define H_NS 1
#define H_VANILLA 2
#define H_ARCSINH 3
#define H_JEFFREY 4

/* log(1 + e^x) without overflow for large x or loss of precision for very negative x */
inline float softplus(float x) { return fmax(x, 0.0f) + log1p(exp(-fabs(x))); }
inline float sigmoid(float x) { return 1.0f / (1.0f + exp(-x)); }

inline float act_forward(float x, int act, float slope) {
    switch (act) {
    case ACT_RELU: return fmax(x, 0.0f);
    case ACT_LEAKY_RELU: return x > 0.0f ? x : slope * x;
    case ACT_TANH: return tanh(x);
    case ACT_SIGMOID: return sigmoid(x);
    default: return x;
    }
}

/* The derivative from the output y, so the pre-activation need not be kept.
 * Leaky ReLU needs slope >= 0 for this (the library checks it). */
inline float act_grad_from_output(float y, int act, float slope) {
    switch (act) {
    case ACT_RELU: return y > 0.0f ? 1.0f : 0.0f;
    case ACT_LEAKY_RELU: return y > 0.0f ? 1.0f : slope;
    case ACT_TANH: return 1.0f - y * y;
    case ACT_SIGMOID: return y * (1.0f - y);
    default: return 1.0f;
    }
}

/* h and h' of MONOFLOW.md; c is the shift of `vanilla`. */
inline float h_value(float d, int h, float c) {
    switch (h) {
    case H_NS: return -softplus(-d); /* log sigmoid(d) */
    case H_VANILLA: return softplus(d + c);
    case H_ARCSINH: return asinh(d);
    case H_JEFFREY: return d + exp(d);
    default: return d;
    }
}

inline float h_deriv(float d, int h, float c) {
    switch (h) {
    case H_NS: return sigmoid(-d);
    case H_VANILLA: return sigmoid(d + c);
    case H_ARCSINH: return rsqrt(1.0f + d * d);
    case H_JEFFREY: return 1.0f + exp(d);
    default: return 1.0f;
    }
}
