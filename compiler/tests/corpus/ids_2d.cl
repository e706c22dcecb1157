// vsvm-args: buf
// vsvm-launch: 64 16
// Expected: a 1-D launch of a kernel that reads the ids of dimensions 0..2:
// out[g] = get_global_id(0) + 1000 * get_global_id(1) + 100000 * get_global_id(2)
//          + 10 * get_local_size(1) (dimensions 1 and 2 have id 0, size 1).
__kernel void ids_2d(__global uint *out)
{
	size_t g = get_global_id(0) + get_global_size(0) *
		   (get_global_id(1) + get_global_size(1) * get_global_id(2));

	out[g] = (uint)(get_global_id(0) + 1000 * get_global_id(1) +
			100000 * get_global_id(2) + 10 * get_local_size(1));
}
