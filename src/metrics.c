#include "monoflow/metrics.h"

#include <math.h>
#include <string.h>

#include "internal.h"

void mf_mode_score_compute(const float *pts, size_t n, const float *centers, int k, float sigma,
                           mf_mode_score *o) {
    MF_ASSERT(k >= 1 && k <= MF_MODES_MAX);
    memset(o, 0, sizeof *o);
    size_t hq = 0;
    for (size_t i = 0; i < n; i++) {
        int best = 0;
        double best_d2 = INFINITY;
        for (int m = 0; m < k; m++) {
            double dx = pts[2 * i] - centers[2 * m], dy = pts[2 * i + 1] - centers[2 * m + 1];
            double d2 = dx * dx + dy * dy;
            if (d2 < best_d2) best_d2 = d2, best = m;
        }
        if (sqrt(best_d2) <= 3.0 * sigma) {
            o->counts[best]++;
            hq++;
        }
    }
    o->modes = k;
    o->hq = n ? (double)hq / n : 0;
    o->reverse_kl = hq ? 0 : log((double)k);
    for (int m = 0; m < k; m++) {
        if (!o->counts[m]) continue;
        o->covered++;
        double p = (double)o->counts[m] / hq;
        o->reverse_kl += p * log(k * p);
    }
}
