/* Plain C references of every device operation, in double precision, for tests and for
 * checking a device: the kernels are compared against these, and these against finite
 * differences. Layouts are the same as on the device (row-major, flat MLP parameters). */
#ifndef MONOFLOW_REF_H
#define MONOFLOW_REF_H

#include <stddef.h>
#include <stdint.h>

#include "monoflow/loss.h"
#include "monoflow/mlp.h"

/* C[m x n] = alpha op(A) op(B) + beta C, row-major, float data, double sums. */
void mf_ref_gemm(int ta, int tb, size_t m, size_t n, size_t k, float alpha, const float *a,
                 size_t lda, const float *b, size_t ldb, float beta, float *c, size_t ldc);

double mf_ref_act(double x, mf_act act, double slope);
double mf_ref_act_grad_from_output(double y, mf_act act, double slope);
double mf_ref_h(double d, mf_h h, double c);
double mf_ref_h_deriv(double d, mf_h h, double c);

/* The parameter layout of mf_mlp for cfg (w_off, b_off as in mf_mlp); returns n_params. */
size_t mf_ref_mlp_layout(const mf_mlp_config *cfg, size_t *w_off, size_t *b_off);
/* doubles needed to keep every layer's output for a batch */
size_t mf_ref_mlp_acts_size(const mf_mlp_config *cfg, int batch);
/* acts receives each layer's output, layer after layer; returns the output (inside acts). */
const double *mf_ref_mlp_forward(const mf_mlp_config *cfg, const double *params,
                                 const double *x, int batch, double *acts);
/* grads (n_params, overwritten) and din (batch x widths[0], may be NULL) from dout. */
void mf_ref_mlp_backward(const mf_mlp_config *cfg, const double *params, const double *x,
                         int batch, const double *acts, const double *dout, double *grads,
                         double *din);

/* Losses as in loss.h; each returns the loss and writes the gradient. */
double mf_ref_loss_logistic(const double *d, size_t n_real, size_t n_fake, double *grad);
double mf_ref_loss_gen(const double *d, size_t n, mf_h h, double c, double *grad);
double mf_ref_loss_fit(const double *g, const double *t, size_t rows, size_t dim, double *grad);

void mf_ref_adam(float *p, const float *g, float *m, float *v, size_t n, float lr, float beta1,
                 float beta2, float eps, long step);

/* The device generator's numbers: uniform in [lo, hi) and Box-Muller normals. */
void mf_ref_uniform(uint64_t seed, uint64_t counter, size_t n, float lo, float hi, float *out);
void mf_ref_normal(uint64_t seed, uint64_t counter, size_t n, float mean, float std,
                   float *out);

/* softmax cross-entropy over rows x classes logits (the classifier's loss) */
double mf_ref_loss_softmax_ce(const double *z, const int *labels, size_t rows, size_t classes,
                              double *grad);

#endif
