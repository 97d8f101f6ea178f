/* Sample quality on data with known modes (ring8, grid25), as VEEGAN and PacGAN define it:
 * a sample is high quality (HQ) when it lies within 3 sigma of its nearest mode; a mode is
 * covered when it is the nearest mode of at least one HQ sample; the reverse KL is
 * KL(histogram of HQ samples over modes || uniform) = sum_k p_k log(K p_k). */
#ifndef MONOFLOW_METRICS_H
#define MONOFLOW_METRICS_H

#include <stddef.h>

#define MF_MODES_MAX 25 /* grid25 */

typedef struct {
    int modes;          /* K, at most MF_MODES_MAX */
    int counts[MF_MODES_MAX]; /* HQ samples nearest to each mode */
    int covered;
    double hq;          /* fraction of samples that are HQ, 0..1 */
    double reverse_kl;  /* log K when no sample is HQ */
} mf_mode_score;

void mf_mode_score_compute(const float *points, size_t n, const float *centers, int k,
                           float sigma, mf_mode_score *out);

#endif
