// vsvm-args: buf buf u32
// vsvm-launch: 64 16
// Expected: out[i] = sum of in[i * n + k] for k in [0, n) (int wraparound).
__kernel void loop(__global const int *in, __global int *out, uint n)
{
	size_t i = get_global_id(0);
	int sum = 0;

	for (uint k = 0; k < n; k++)
		sum += in[i * n + k];
	out[i] = sum;
}
