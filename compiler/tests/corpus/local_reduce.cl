// vsvm-args: buf buf local:64
// vsvm-launch: 64 16
// Expected: with a work-group size of 16, out[get_group_id(0)] = sum of
// in[16*grp .. 16*grp+15]; uses a __local argument, a static __local array
// and barrier(CLK_LOCAL_MEM_FENCE).
__kernel void local_reduce(__global const int *in, __global int *out,
			   __local int *scratch)
{
	__local int total[1];
	size_t l = get_local_id(0), n = get_local_size(0);

	scratch[l] = in[get_global_id(0)];
	if (l == 0)
		total[0] = 0;
	barrier(CLK_LOCAL_MEM_FENCE);
	for (size_t s = n / 2; s > 0; s /= 2) {
		if (l < s)
			scratch[l] += scratch[l + s];
		barrier(CLK_LOCAL_MEM_FENCE);
	}
	if (l == 0) {
		total[0] = scratch[0];
		out[get_group_id(0)] = total[0];
	}
}
