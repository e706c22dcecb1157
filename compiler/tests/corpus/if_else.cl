// vsvm-args: buf buf
// vsvm-launch: 64 16
// Expected: x = in[i]; out[i] = x < 0 ? -x * 2 : (x == 0 ? 7 : (x & 1 ? x * 3 + 1 : x / 2)).
__kernel void if_else(__global const int *in, __global int *out)
{
	size_t i = get_global_id(0);
	int x = in[i], r;

	if (x < 0) {
		r = -x * 2;
	} else if (x == 0) {
		r = 7;
	} else {
		if (x & 1)
			r = x * 3 + 1;
		else
			r = x / 2;
	}
	out[i] = r;
}
