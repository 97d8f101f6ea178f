#include "monoflow/ref.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "monoflow/rng.h"

void mf_ref_gemm(int ta, int tb, size_t m, size_t n, size_t k, float alpha, const float *a,
                 size_t lda, const float *b, size_t ldb, float beta, float *c, size_t ldc) {
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            double s = 0;
            for (size_t p = 0; p < k; p++) {
                double av = ta ? a[p * lda + i] : a[i * lda + p];
                double bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                s += av * bv;
            }
            double prev = beta == 0.0f ? 0.0 : (double)beta * c[i * ldc + j];
            c[i * ldc + j] = (float)(alpha * s + prev);
        }
}

static double softplus(double x) { return fmax(x, 0.0) + log1p(exp(-fabs(x))); }
static double sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

double mf_ref_act(double x, mf_act act, double slope) {
    switch (act) {
    case MF_ACT_RELU: return x > 0 ? x : 0;
    case MF_ACT_LEAKY_RELU: return x > 0 ? x : slope * x;
    case MF_ACT_TANH: return tanh(x);
    case MF_ACT_SIGMOID: return sigmoid(x);
    default: return x;
    }
}

double mf_ref_act_grad_from_output(double y, mf_act act, double slope) {
    switch (act) {
    case MF_ACT_RELU: return y > 0 ? 1 : 0;
    case MF_ACT_LEAKY_RELU: return y > 0 ? 1 : slope;
    case MF_ACT_TANH: return 1 - y * y;
    case MF_ACT_SIGMOID: return y * (1 - y);
    default: return 1;
    }
}

double mf_ref_h(double d, mf_h h, double c) {
    switch (h) {
    case MF_H_NS: return -softplus(-d);
    case MF_H_VANILLA: return softplus(d + c);
    case MF_H_ARCSINH: return asinh(d);
    case MF_H_JEFFREY: return d + exp(d);
    default: return d;
    }
}

double mf_ref_h_deriv(double d, mf_h h, double c) {
    switch (h) {
    case MF_H_NS: return sigmoid(-d);
    case MF_H_VANILLA: return sigmoid(d + c);
    case MF_H_ARCSINH: return 1 / sqrt(1 + d * d);
    case MF_H_JEFFREY: return 1 + exp(d);
    default: return 1;
    }
}

size_t mf_ref_mlp_layout(const mf_mlp_config *cfg, size_t *w_off, size_t *b_off) {
    size_t off = 0;
    for (int l = 0; l < cfg->n_layers; l++) {
        w_off[l] = off;
        off += (size_t)cfg->widths[l + 1] * cfg->widths[l];
        b_off[l] = off;
        off += (size_t)cfg->widths[l + 1];
    }
    return off;
}

size_t mf_ref_mlp_acts_size(const mf_mlp_config *cfg, int batch) {
    size_t s = 0;
    for (int l = 1; l <= cfg->n_layers; l++) s += (size_t)batch * cfg->widths[l];
    return s;
}

static mf_act act_of(const mf_mlp_config *cfg, int l) {
    return l == cfg->n_layers - 1 ? cfg->out_act : cfg->hidden_act;
}

const double *mf_ref_mlp_forward(const mf_mlp_config *cfg, const double *params,
                                 const double *x, int batch, double *acts) {
    size_t w_off[MF_MLP_MAX_LAYERS], b_off[MF_MLP_MAX_LAYERS];
    mf_ref_mlp_layout(cfg, w_off, b_off);
    const double *in = x;
    double *out = acts;
    for (int l = 0; l < cfg->n_layers; l++) {
        int ni = cfg->widths[l], no = cfg->widths[l + 1];
        const double *W = params + w_off[l], *bias = params + b_off[l];
        for (int r = 0; r < batch; r++)
            for (int o = 0; o < no; o++) {
                double s = bias[o];
                for (int i = 0; i < ni; i++) s += in[r * ni + i] * W[o * ni + i];
                out[r * no + o] = mf_ref_act(s, act_of(cfg, l), cfg->slope);
            }
        in = out;
        out += (size_t)batch * no;
    }
    return in;
}

void mf_ref_mlp_backward(const mf_mlp_config *cfg, const double *params, const double *x,
                         int batch, const double *acts, const double *dout, double *grads,
                         double *din) {
    size_t w_off[MF_MLP_MAX_LAYERS], b_off[MF_MLP_MAX_LAYERS];
    size_t np = mf_ref_mlp_layout(cfg, w_off, b_off);
    memset(grads, 0, np * sizeof *grads);
    const double *outs[MF_MLP_MAX_LAYERS + 1];
    outs[0] = x;
    const double *p = acts;
    int maxw = 0;
    for (int l = 1; l <= cfg->n_layers; l++) {
        outs[l] = p;
        p += (size_t)batch * cfg->widths[l];
    }
    for (int l = 0; l <= cfg->n_layers; l++)
        if (cfg->widths[l] > maxw) maxw = cfg->widths[l];
    double *delta[2] = {malloc(sizeof(double) * batch * maxw),
                        malloc(sizeof(double) * batch * maxw)};
    MF_ASSERT(delta[0] && delta[1]);
    memcpy(delta[0], dout, sizeof(double) * batch * cfg->widths[cfg->n_layers]);
    int cur = 0;
    for (int l = cfg->n_layers - 1; l >= 0; l--) {
        int ni = cfg->widths[l], no = cfg->widths[l + 1];
        double *dz = delta[cur];
        for (int k = 0; k < batch * no; k++)
            dz[k] *= mf_ref_act_grad_from_output(outs[l + 1][k], act_of(cfg, l), cfg->slope);
        for (int r = 0; r < batch; r++)
            for (int o = 0; o < no; o++) {
                grads[b_off[l] + o] += dz[r * no + o];
                for (int i = 0; i < ni; i++)
                    grads[w_off[l] + o * ni + i] += dz[r * no + o] * outs[l][r * ni + i];
            }
        if (l == 0 && !din) break;
        double *dx = l == 0 ? din : delta[1 - cur];
        const double *W = params + w_off[l];
        for (int r = 0; r < batch; r++)
            for (int i = 0; i < ni; i++) {
                double s = 0;
                for (int o = 0; o < no; o++) s += dz[r * no + o] * W[o * ni + i];
                dx[r * ni + i] = s;
            }
        cur = 1 - cur;
    }
    free(delta[0]);
    free(delta[1]);
}

double mf_ref_loss_logistic(const double *d, size_t n_real, size_t n_fake, double *grad) {
    double loss = 0;
    for (size_t i = 0; i < n_real + n_fake; i++) {
        if (i < n_real) {
            loss += softplus(-d[i]) / n_real;
            grad[i] = -sigmoid(-d[i]) / n_real;
        } else {
            loss += softplus(d[i]) / n_fake;
            grad[i] = sigmoid(d[i]) / n_fake;
        }
    }
    return loss;
}

double mf_ref_loss_gen(const double *d, size_t n, mf_h h, double c, double *grad) {
    double loss = 0;
    for (size_t i = 0; i < n; i++) {
        loss -= mf_ref_h(d[i], h, c) / n;
        grad[i] = -mf_ref_h_deriv(d[i], h, c) / n;
    }
    return loss;
}

double mf_ref_loss_fit(const double *g, const double *t, size_t rows, size_t dim,
                       double *grad) {
    double loss = 0;
    for (size_t i = 0; i < rows * dim; i++) {
        double diff = g[i] - t[i];
        loss += diff * diff / rows;
        grad[i] = 2 * diff / rows;
    }
    return loss;
}

void mf_ref_adam(float *p, const float *g, float *m, float *v, size_t n, float lr, float beta1,
                 float beta2, float eps, long step) {
    double bc1 = 1.0 / (1.0 - pow(beta1, (double)step));
    double bc2 = 1.0 / (1.0 - pow(beta2, (double)step));
    for (size_t i = 0; i < n; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        p[i] -= (float)(lr * (m[i] * bc1) / (sqrt(v[i] * bc2) + eps));
    }
}

static float u01(uint32_t x) { return (float)(x >> 8) * (1.0f / 16777216.0f); }

void mf_ref_uniform(uint64_t seed, uint64_t counter, size_t n, float lo, float hi, float *out) {
    for (size_t j = 0; j < n; j += 4) {
        uint32_t r[4];
        mf_philox4x32_10(seed, counter + j / 4, r);
        for (size_t k = 0; k < 4 && j + k < n; k++) out[j + k] = lo + (hi - lo) * u01(r[k]);
    }
}

void mf_ref_normal(uint64_t seed, uint64_t counter, size_t n, float mean, float std,
                   float *out) {
    for (size_t j = 0; j < n; j += 4) {
        uint32_t r[4];
        mf_philox4x32_10(seed, counter + j / 4, r);
        double ra = sqrt(-2.0 * log(u01(r[0]) + 1.0 / 16777216.0));
        double rb = sqrt(-2.0 * log(u01(r[2]) + 1.0 / 16777216.0));
        double ta = 2 * M_PI * u01(r[1]), tb = 2 * M_PI * u01(r[3]);
        double z[4] = {ra * cos(ta), ra * sin(ta), rb * cos(tb), rb * sin(tb)};
        for (size_t k = 0; k < 4 && j + k < n; k++) out[j + k] = (float)(mean + std * z[k]);
    }
}

double mf_ref_loss_softmax_ce(const double *z, const int *labels, size_t rows, size_t classes,
                              double *grad) {
    double loss = 0;
    for (size_t r = 0; r < rows; r++) {
        const double *zr = z + r * classes;
        double m = zr[0], sum = 0;
        for (size_t k = 1; k < classes; k++) m = zr[k] > m ? zr[k] : m;
        for (size_t k = 0; k < classes; k++) sum += exp(zr[k] - m);
        for (size_t k = 0; k < classes; k++)
            grad[r * classes + k] = (exp(zr[k] - m) / sum - (k == (size_t)labels[r])) / rows;
        loss += (log(sum) + m - zr[labels[r]]) / rows;
    }
    return loss;
}
