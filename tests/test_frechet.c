/* The Fréchet distance against closed forms: identical Gaussians give 0; diagonal (and
 * equally rotated) covariances give |mu1 - mu2|^2 + sum (sqrt a - sqrt b)^2; any 2 x 2 pair
 * gives tr S1 + tr S2 - 2 sqrt(tr S1 S2 + 2 sqrt(det S1 det S2)); a 128-dimensional case is
 * symmetric in its arguments. Moments against a hand computation. Tolerances 1e-9. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "monoflow/frechet.h"

static void rotate(const double *diag, double angle, double *out) {
    double c = cos(angle), s = sin(angle);
    double r[4] = {c, -s, s, c};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            out[i * 2 + j] = r[i * 2] * diag[0] * r[j * 2] + r[i * 2 + 1] * diag[1] * r[j * 2 + 1];
}

int main(void) {
    float x[8] = {1, 2, 3, 6, 5, 10, 7, 14}; /* 4 rows of (a, 2a): cov [[a, 2a], [2a, 4a]] */
    double mean[2], cov[4], d;
    CHECK(mf_moments(x, 4, 2, mean, cov) == MF_OK, "moments");
    CHECK_NEAR(mean[0], 4.0, 1e-12);
    CHECK_NEAR(mean[1], 8.0, 1e-12);
    CHECK_NEAR(cov[0], 20.0 / 3, 1e-12); /* ((-3)^2 + (-1)^2 + 1 + 9) / 3 */
    CHECK_NEAR(cov[1], 40.0 / 3, 1e-12);
    CHECK_NEAR(cov[3], 80.0 / 3, 1e-12);

    double mu1[2] = {0.5, -1}, mu2[2] = {2, 1}, a[2] = {4, 0.25}, b[2] = {1, 9};
    double s1[4] = {a[0], 0, 0, a[1]}, s2[4] = {b[0], 0, 0, b[1]};
    CHECK(mf_frechet(mu1, s1, mu1, s1, 2, &d) == MF_OK && fabs(d) < 1e-9, "same: %g", d);
    double want = 1.5 * 1.5 + 2 * 2 + pow(2 - 1, 2) + pow(0.5 - 3, 2);
    CHECK(mf_frechet(mu1, s1, mu2, s2, 2, &d) == MF_OK && fabs(d - want) < 1e-9,
          "diagonal: %.12g, want %.12g", d, want);
    rotate(a, 0.7, s1);
    rotate(b, 0.7, s2);
    CHECK(mf_frechet(mu1, s1, mu2, s2, 2, &d) == MF_OK && fabs(d - want) < 1e-9,
          "rotated alike: %.12g, want %.12g", d, want);
    rotate(b, -0.3, s2); /* no longer commuting */
    double tr12 = s1[0] * s2[0] + s1[1] * s2[2] + s1[2] * s2[1] + s1[3] * s2[3];
    double det1 = s1[0] * s1[3] - s1[1] * s1[2], det2 = s2[0] * s2[3] - s2[1] * s2[2];
    want = 1.5 * 1.5 + 4 + s1[0] + s1[3] + s2[0] + s2[3] - 2 * sqrt(tr12 + 2 * sqrt(det1 * det2));
    CHECK(mf_frechet(mu1, s1, mu2, s2, 2, &d) == MF_OK && fabs(d - want) < 1e-9,
          "2 x 2 closed form: %.12g, want %.12g", d, want);

    enum { D = 128, N = 400 };
    float *p = malloc(sizeof(float) * N * D), *q = malloc(sizeof(float) * N * D);
    unsigned long long s = 99;
    for (int i = 0; i < N * D; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        p[i] = (float)((s >> 40) / 16777216.0) - 0.5f;
        q[i] = p[i] * (1 + (i % D) * 0.01f) + 0.1f * (i % 3);
    }
    double *m1 = malloc(sizeof(double) * D), *c1 = malloc(sizeof(double) * D * D);
    double *m2 = malloc(sizeof(double) * D), *c2 = malloc(sizeof(double) * D * D), d12, d21;
    mf_moments(p, N, D, m1, c1);
    mf_moments(q, N, D, m2, c2);
    CHECK(mf_frechet(m1, c1, m2, c2, D, &d12) == MF_OK &&
              mf_frechet(m2, c2, m1, c1, D, &d21) == MF_OK,
          "128-dimensional");
    CHECK(d12 > 0 && fabs(d12 - d21) < 1e-9 * (1 + d12), "symmetric: %.12g vs %.12g", d12, d21);
    CHECK(mf_frechet(m1, c1, m1, c1, D, &d) == MF_OK && fabs(d) < 1e-9, "self: %g", d);
    free(p), free(q), free(m1), free(c1), free(m2), free(c2);
    return test_finish("test_frechet");
}
