// vsvm-args: buf buf
// vsvm-launch: 64 16
// Expected: x = in[2i], y = in[2i+1] (floats), out[8i + 0..7] =
// x + y, x - y, x * y, x / y, fmin(x, y), fmax(x, y), (float)(int)x,
// x < y ? 1.0f : 0.0f.
__kernel void float_ops(__global const float *in, __global float *out)
{
	size_t i = get_global_id(0);
	float x = in[2 * i], y = in[2 * i + 1];
	__global float *o = out + 8 * i;

	o[0] = x + y;
	o[1] = x - y;
	o[2] = x * y;
	o[3] = x / y;
	o[4] = fmin(x, y);
	o[5] = fmax(x, y);
	o[6] = (float)(int)x;
	o[7] = x < y ? 1.0f : 0.0f;
}
