/* Checkpoints: everything a run needs to continue bit for bit — configuration, iteration,
 * random state, parameters and Adam moments of both networks, G's weight average, the flow
 * particles. Format: magic "MFCKPT01", version, the configuration and the state as text,
 * named float tensors, and a 64-bit FNV-1a hash of all that; written to a temporary name,
 * then renamed. */
#ifndef MONOFLOW_CHECKPOINT_H
#define MONOFLOW_CHECKPOINT_H

#include "monoflow/train.h"

#define MF_CHECKPOINT_VERSION 1

/* A tensor with a NaN or an infinity is not written: MF_ERR_DIVERGED, the file untouched. */
mf_status mf_checkpoint_save(mf_trainer *tr, const char *path);

/* Reads only the configuration of a checkpoint (to create the trainer to load into). */
mf_status mf_checkpoint_config(const char *path, mf_config *cfg);

/* Loads into a trainer created with the checkpoint's configuration. A file of other shapes,
 * a corrupt or truncated one: MF_ERR_FORMAT with a message naming the file and the problem. */
mf_status mf_checkpoint_load(mf_trainer *tr, const char *path);

/* The first shape field in which a and b differ, or NULL. */
const char *mf_config_shape_diff(const mf_config *a, const mf_config *b);

#endif
