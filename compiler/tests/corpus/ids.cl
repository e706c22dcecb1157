// vsvm-args: buf
// vsvm-launch: 64 16
// Expected: for the work-item with global id g (1-D launch),
// out[8*g + 0..7] = get_global_id(0), get_local_id(0), get_group_id(0),
// get_local_size(0), get_num_groups(0), get_global_size(0), get_work_dim(),
// get_global_offset(0).
__kernel void ids(__global uint *out)
{
	size_t g = get_global_id(0) - get_global_offset(0);
	__global uint *o = out + 8 * g;

	o[0] = (uint)get_global_id(0);
	o[1] = (uint)get_local_id(0);
	o[2] = (uint)get_group_id(0);
	o[3] = (uint)get_local_size(0);
	o[4] = (uint)get_num_groups(0);
	o[5] = (uint)get_global_size(0);
	o[6] = get_work_dim();
	o[7] = (uint)get_global_offset(0);
}
