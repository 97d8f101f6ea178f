#include "monoflow/shapes.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    mf_gemm_shape *s;
    int n, cap;
} list;

static void add(list *L, int m, int n, int k, int ta, int tb, int count, const char *what) {
    for (int i = 0; i < L->n; i++) {
        mf_gemm_shape *s = &L->s[i];
        if (s->m == m && s->n == n && s->k == k && s->ta == ta && s->tb == tb) {
            s->count += count;
            return;
        }
    }
    if (L->n == L->cap) return;
    mf_gemm_shape *s = &L->s[L->n++];
    *s = (mf_gemm_shape){m, n, k, ta, tb, count, ""};
    snprintf(s->what, sizeof s->what, "%s", what);
}

typedef struct {
    char name;
    int n_layers;
    int w[MF_MAX_HIDDEN + 2];
} net;

static void net_of(net *o, char name, int in, const mf_widths *hidden, int width, int depth,
                   int out) {
    o->name = name;
    int h = mf_config_hidden(hidden, width, depth, o->w + 1);
    o->w[0] = in;
    o->w[h + 1] = out;
    o->n_layers = h + 1;
}

/* as src/linear.c: forward Y = X W^T, dW = dZ^T X, dX = dZ W */
static void forward(list *L, const net *t, int rows, int count, const char *phase) {
    char what[64];
    for (int l = 0; l < t->n_layers; l++) {
        snprintf(what, sizeof what, "%c fwd %d, %d->%d (%s)", t->name, rows, t->w[l],
                 t->w[l + 1], phase);
        add(L, rows, t->w[l + 1], t->w[l], 0, 1, count, what);
    }
}

static void backward(list *L, const net *t, int rows, int params, int input, int count,
                     const char *phase) {
    char what[64];
    for (int l = t->n_layers - 1; l >= 0; l--) {
        int in = t->w[l], out = t->w[l + 1];
        if (params) {
            snprintf(what, sizeof what, "%c dW %d, %d->%d (%s)", t->name, rows, in, out, phase);
            add(L, out, in, rows, 1, 0, count, what);
        }
        if (l > 0 || input) {
            snprintf(what, sizeof what, "%c dX %d, %d->%d (%s)", t->name, rows, in, out, phase);
            add(L, rows, in, out, 0, 0, count, what);
        }
    }
}

int mf_shapes_of_config(const mf_config *c, int dim, mf_gemm_shape *out, int cap) {
    list L = {out, 0, cap};
    net d, g;
    net_of(&d, 'D', dim, &c->d_hidden, c->d_width, c->d_depth, 1);
    net_of(&g, 'G', c->latent, &c->g_hidden, c->g_width, c->g_depth, dim);
    int n = c->mode == MF_MODE_FLOW ? c->particles : c->batch, B = c->batch;
    /* D step: G makes the fake half, D runs on real and fake together */
    if (c->mode != MF_MODE_FLOW) forward(&L, &g, B, c->d_steps, "D step");
    forward(&L, &d, 2 * n, c->d_steps, "D step");
    backward(&L, &d, 2 * n, 1, 0, c->d_steps, "D step");
    if (c->mode == MF_MODE_FLOW) {
        forward(&L, &d, n, 1, "push");
        backward(&L, &d, n, 0, 1, 1, "push");
    } else if (c->mode == MF_MODE_ONE_STEP) {
        forward(&L, &g, B, 1, "G step");
        forward(&L, &d, B, 1, "G step");
        backward(&L, &d, B, 0, 1, 1, "G step");
        backward(&L, &g, B, 1, 0, 1, "G step");
    } else {
        forward(&L, &g, B, 1, "push");
        forward(&L, &d, B, 1, "push");
        backward(&L, &d, B, 0, 1, 1, "push");
        if (c->k > 1) forward(&L, &g, B, c->k - 1, "fit");
        backward(&L, &g, B, 1, 0, c->k, "fit");
    }
    return L.n;
}

int mf_shapes_merge(mf_gemm_shape *a, int na, const mf_gemm_shape *b, int nb, int cap) {
    list L = {a, na, cap};
    for (int i = 0; i < nb; i++)
        add(&L, b[i].m, b[i].n, b[i].k, b[i].ta, b[i].tb, b[i].count, b[i].what);
    return L.n;
}

double mf_shape_flops(const mf_gemm_shape *s) { return 2.0 * s->m * s->n * (double)s->k; }
