/* The configuration of a training run, as one table of fields: flags, defaults, --help,
 * config.json and the checkpoint's header are all made from it, so they cannot disagree. */
#ifndef MONOFLOW_CONFIG_H
#define MONOFLOW_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include "monoflow/linear.h"
#include "monoflow/loss.h"
#include "monoflow/status.h"

typedef enum { MF_MODE_ONE_STEP, MF_MODE_FIT, MF_MODE_FLOW, MF_MODE_COUNT } mf_mode;

const char *mf_mode_name(mf_mode m);

/* learning-rate factor at iteration it of iters for a schedule (decay code, end factor) */
double mf_lr_factor(int decay, float lr_end, long it, long iters);

/* hidden widths of one network, when they differ by layer (n = 0: width x depth) */
#define MF_MAX_HIDDEN 8
typedef struct {
    int n;
    int w[MF_MAX_HIDDEN];
} mf_widths;

typedef struct {
    int mode;            /* mf_mode */
    int h;               /* mf_h */
    float c;             /* vanilla's shift */
    float eps;           /* push step */
    float eps_end;       /* the push step follows the learning-rate schedule down to eps_end x eps */
    int k;               /* fit steps per iteration */
    int d_steps;
    float lr_d, lr_g, beta1_d, beta2_d, beta1_g, beta2_g;
    int lr_decay;        /* 0 none, 1 linear, 2 cosine: both rates, to lr_end x lr at the end */
    float lr_end;
    float g_ema;         /* decay of the generator's weight average used to sample; 0: none */
    int g_width, g_depth, d_width, d_depth;
    mf_widths g_hidden, d_hidden; /* override width x depth when n > 0 */
    int act;             /* mf_act of hidden layers */
    float slope;
    int out_act;         /* mf_act of the generator's output */
    int batch, latent, particles;
    uint64_t seed;
    long iters;
    int log_every, ckpt_every, samples;
    char data[512];
} mf_config;

typedef enum { MF_FIELD_INT, MF_FIELD_LONG, MF_FIELD_FLOAT, MF_FIELD_U64, MF_FIELD_STR,
               MF_FIELD_MODE, MF_FIELD_H, MF_FIELD_ACT, MF_FIELD_DECAY,
               MF_FIELD_WIDTHS } mf_field_type;

typedef struct {
    const char *name;    /* the flag without "--", with '-' (e.g. "lr-d") */
    mf_field_type type;
    size_t offset;
    double min, max;     /* numeric range */
    const char *def;     /* default, as text */
    int shape;           /* 1 when a resumed run may not change it */
    const char *help;
} mf_field;

const mf_field *mf_config_fields(int *n);
const mf_field *mf_config_field(const char *name);

/* every field at its default */
void mf_config_defaults(mf_config *cfg);

/* Sets a field from text; MF_ERR_ARG with "--name wants ..., got '...'" when out of range. */
mf_status mf_config_set(mf_config *cfg, const mf_field *f, const char *value);

/* The field's value as text (enough to set it again exactly). */
void mf_config_get(const mf_config *cfg, const mf_field *f, char *buf, size_t cap);

/* "name = value" lines, and back (unknown names are an error). */
void mf_config_write_text(const mf_config *cfg, FILE *f);
mf_status mf_config_read_text(mf_config *cfg, const char *text);

/* config.json for people and the viewer */
void mf_config_write_json(const mf_config *cfg, FILE *f);

/* The hidden widths a network gets: w (when w->n > 0), else width repeated depth times.
 * Returns the number of hidden layers written to out. */
int mf_config_hidden(const mf_widths *w, int width, int depth, int *out);

/* 1 for image data (fashion-mnist, idx:...) */
int mf_config_is_images(const char *data);

/* The defaults that depend on --data and --mode, on every field not in set (set[i] = 1 for
 * the fields the user gave; NULL: none given): image data gets the image networks and
 * batch; one-step on point data a faster generator rate and the weight average. */
void mf_config_context_defaults(mf_config *cfg, const char *set);

/* Cross-field checks (e.g. flow needs no generator sizes): one message. */
mf_status mf_config_check(const mf_config *cfg);

#endif
