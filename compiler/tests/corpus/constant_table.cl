// vsvm-args: buf buf
// vsvm-launch: 64 16
// Expected: out[i] = table[in[i] & 7] * 2 with a program-scope __constant
// table (clover passes it as an implicit constant-buffer argument).
__constant int table[8] = { 3, 1, 4, 1, 5, 9, 2, 6 };

__kernel void constant_table(__global const int *in, __global int *out)
{
	size_t i = get_global_id(0);

	out[i] = table[in[i] & 7] * 2;
}
