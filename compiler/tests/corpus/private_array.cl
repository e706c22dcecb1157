// vsvm-args: buf buf
// vsvm-launch: 64 16
// Expected: x = in[i]; a[k] = x * k + k*k for k in 0..15 in a private array;
// out[i] = a[x & 15] + a[(x >> 4) & 15] (dynamically indexed private memory).
__kernel void private_array(__global const int *in, __global int *out)
{
	size_t i = get_global_id(0);
	int x = in[i];
	int a[16];

	for (int k = 0; k < 16; k++)
		a[k] = x * k + k * k;
	out[i] = a[x & 15] + a[(x >> 4) & 15];
}
