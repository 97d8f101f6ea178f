/* Sum of x[off .. off+n) into out[out_idx], by one work-group whose size is a power of two.
 * The order of additions depends only on n and the group size: results are reproducible. */
__kernel void sum_reduce(__global const float *x, uint off, uint n, __global float *out,
                         uint out_idx, __local float *part) {
    uint lid = get_local_id(0), ls = get_local_size(0);
    float s = 0.0f;
    for (uint i = lid; i < n; i += ls) s += x[off + i];
    part[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint w = ls / 2; w > 0; w /= 2) {
        if (lid < w) part[lid] += part[lid + w];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) out[out_idx] = part[0];
}
