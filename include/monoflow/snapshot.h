/* A run's live state for viewers: what the trainer knows at its last logged iteration (run
 * settings, device, losses and their history, a map of D over the data's range, histograms
 * of D on real and generated samples, a few of each sample). The trainer replaces
 * RUNDIR/snapshot.mfsn atomically; `monoflow top` reads it. Plain data: no OpenCL here, so
 * the viewer never links the device code. */
#ifndef MONOFLOW_SNAPSHOT_H
#define MONOFLOW_SNAPSHOT_H

#include <stdint.h>

#include "monoflow/status.h"

#define MF_SNAPSHOT_FILE "snapshot.mfsn"
#define MF_CONTROL_FILE "control"
#define MF_SNAP_MAP_W 64
#define MF_SNAP_MAP_H 48
#define MF_SNAP_BINS 40
#define MF_SNAP_POINTS 256
#define MF_SNAP_HISTORY 256
#define MF_SNAP_IMAGES 16
#define MF_SNAP_IMAGE_PIXELS 1024

typedef enum {
    MF_RUN_RUNNING, MF_RUN_PAUSED, MF_RUN_FINISHED, MF_RUN_STOPPED, MF_RUN_FAILED
} mf_run_state;

const char *mf_run_state_name(int state);

typedef struct {
    float iter, d_loss, g_loss, kl_pq, kl_qp;
} mf_snap_row;

typedef struct {
    char magic[8];
    uint32_t version, size;
    int64_t pid;                 /* the trainer's process */
    int32_t state;               /* mf_run_state */
    int32_t commands;            /* control lines the trainer has carried out */
    double t_update;             /* unix seconds of this snapshot */
    /* the run */
    char run_dir[256], data[128], mode[16], h[16];
    int32_t k, dim, has_g;
    int64_t iter, iters, ckpt_iter; /* ckpt_iter: iteration of the last checkpoint, -1 none */
    double eps, elapsed, it_per_s;
    double g_ema;                /* decay of the generator's weight average; 0: none */
    /* the device */
    char device[128], vendor[128], device_type[16];
    uint32_t device_kind;        /* 0 CPU, 1 GPU, 2 other */
    uint32_t vendor_id, compute_units, clock_mhz;
    uint64_t global_mem, bytes_held;
    double ms_d, ms_push, ms_fit, gemm_gflops;
    /* the last logged iteration */
    double d_loss, g_loss, kl_pq, kl_qp, d_real, d_fake, push_len;
    /* history of the logged iterations, thinned by 2 whenever it fills */
    int32_t n_hist, hist_stride, hist_seen, pad0;
    mf_snap_row hist[MF_SNAP_HISTORY];
    /* D over [x0, x1] x [y0, y1] (2D data): map[row][col], row 0 at y1 (top) */
    int32_t has_map, pad1;
    float x0, x1, y0, y1;
    float map[MF_SNAP_MAP_H][MF_SNAP_MAP_W];
    /* histograms of D on real and generated samples over [h_lo, h_hi] */
    float h_lo, h_hi;
    uint32_t h_real[MF_SNAP_BINS], h_fake[MF_SNAP_BINS];
    /* samples (first two coordinates) */
    int32_t n_real, n_fake;
    float real[MF_SNAP_POINTS][2], fake[MF_SNAP_POINTS][2];
    /* image data: generated images, pixels 0 (value -1) .. 255 (value 1), img_h x img_w */
    int32_t n_images, img_h, img_w, pad2;
    uint8_t images[MF_SNAP_IMAGES][MF_SNAP_IMAGE_PIXELS];
    char message[160];           /* the trainer's last event ("checkpoint written at 1200") */
} mf_snapshot;

/* Zeroes s and stamps its magic, version and size. */
void mf_snapshot_init(mf_snapshot *s);

/* Adds a logged iteration to the history (thinning it when full). */
void mf_snapshot_add_row(mf_snapshot *s, const mf_snap_row *r);

/* Fills both histograms from the D values on n_real real and n_fake generated samples. */
void mf_snapshot_histograms(mf_snapshot *s, const float *d_real, int n_real,
                            const float *d_fake, int n_fake);

/* Atomic replace of path. */
mf_status mf_snapshot_write(const mf_snapshot *s, const char *path);

/* MF_ERR_IO when missing or unreadable, MF_ERR_FORMAT when not a snapshot of this version. */
mf_status mf_snapshot_read(const char *path, mf_snapshot *s);

#endif
