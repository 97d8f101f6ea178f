#include <string.h>

#include "internal.h"

void mf_profile_enable(mf_ctx *c, int on) { c->profiling = on; }
int mf_profile_enabled(const mf_ctx *c) { return c->profiling; }

void mf_profile_phase(mf_ctx *c, int phase) {
    MF_ASSERT(phase >= 0 && phase < MF_PROFILE_MAX_PHASES);
    c->phase = phase;
}

double mf_gemm_flops_total(const mf_ctx *c) { return c->gemm_flops; }

static mf_profile_entry *entry_for(mf_ctx *c, const char *name, int phase) {
    for (int i = 0; i < c->n_entries; i++)
        if (c->entries[i].phase == phase && !strcmp(c->entries[i].name, name))
            return &c->entries[i];
    if (c->n_entries == MF_PROFILE_MAX_ENTRIES) return NULL;
    mf_profile_entry *e = &c->entries[c->n_entries++];
    memset(e, 0, sizeof *e);
    e->name = name;
    e->phase = phase;
    return e;
}

mf_status mf_profile_collect(mf_ctx *c) {
    mf_status st = MF_OK;
    if (c->n_pending) MF_CL_CHECK(clFinish(c->queue));
    for (int i = 0; i < c->n_pending; i++) {
        mf_pending *p = &c->pending[i];
        if (!p->ev) { /* its enqueue failed and was reported then */
            if (p->start) clReleaseEvent(p->start);
            continue;
        }
        cl_ulong t0 = 0, t1 = 0;
        /* a marker's end is when the queue reached the call (in-order queue) */
        cl_int e0 = p->start ? clGetEventProfilingInfo(p->start, CL_PROFILING_COMMAND_END,
                                                       sizeof t0, &t0, NULL)
                             : clGetEventProfilingInfo(p->ev, CL_PROFILING_COMMAND_START,
                                                       sizeof t0, &t0, NULL);
        cl_int e1 = clGetEventProfilingInfo(p->ev, CL_PROFILING_COMMAND_END, sizeof t1, &t1,
                                            NULL);
        mf_profile_entry *e = entry_for(c, p->name, p->phase);
        if (e0 == CL_SUCCESS && e1 == CL_SUCCESS && e && t1 >= t0) {
            e->count++;
            e->seconds += (double)(t1 - t0) * 1e-9;
            e->flops += p->flops;
        } else if (e0 != CL_SUCCESS && st == MF_OK) {
            st = mf_fail(MF_ERR_CL, "reading kernel times failed: %s (does the device support "
                                    "profiling queues?)", mf_cl_error_str(e0));
        }
        clReleaseEvent(p->ev);
        if (p->start) clReleaseEvent(p->start);
    }
    c->n_pending = 0;
    return st;
}

cl_event *mf_event_slot(mf_ctx *c, const char *name, double flops) {
    if (!c->profiling) return NULL;
    /* a full list is emptied first: only then does profiling wait on the device */
    if (c->n_pending == MF_PENDING_MAX && mf_profile_collect(c) != MF_OK) return NULL;
    mf_pending *p = &c->pending[c->n_pending++];
    p->name = name;
    p->phase = c->phase;
    p->flops = flops;
    p->ev = NULL;
    p->start = NULL;
    return &p->ev;
}

cl_event *mf_event_slot_span(mf_ctx *c, const char *name, double flops) {
    cl_event *ev = mf_event_slot(c, name, flops);
    if (!ev) return NULL;
    mf_pending *p = &c->pending[c->n_pending - 1];
    if (clEnqueueMarkerWithWaitList(c->queue, 0, NULL, &p->start) != CL_SUCCESS) p->start = NULL;
    return ev;
}

const mf_profile_entry *mf_profile_entries(const mf_ctx *c, int *n) {
    *n = c->n_entries;
    return c->entries;
}

void mf_profile_reset(mf_ctx *c) { c->n_entries = 0; }

void mf_profile_print(const mf_ctx *c, FILE *f, double per) {
    double total = 0, gemm = 0;
    for (int i = 0; i < c->n_entries; i++) {
        total += c->entries[i].seconds;
        if (!strncmp(c->entries[i].name, "gemm", 4)) gemm += c->entries[i].seconds;
    }
    if (total <= 0) return;
    for (int i = 0; i < c->n_entries; i++) {
        const mf_profile_entry *e = &c->entries[i];
        fprintf(f, "  %-20s %9.3f ms %5.1f %%", e->name, e->seconds / per * 1e3,
                100 * e->seconds / total);
        if (e->flops > 0 && e->seconds > 0)
            fprintf(f, "  %7.2f GFLOP/s", e->flops / e->seconds * 1e-9);
        fprintf(f, "\n");
    }
    fprintf(f, "  GEMM %.1f %%, own kernels %.1f %%\n", 100 * gemm / total,
            100 * (total - gemm) / total);
}
