// vsvm-args: buf buf
// vsvm-launch: 64 16
// Expected: out[16i + k] = sqrt(in[16i + k]) for k in 0..15, correctly
// rounded (the OpenCL -cl-fp32-correctly-rounded-divide-sqrt result); any
// NaN for negative inputs and NaN.
__kernel void sqrt_check(__global const float *in, __global float *out)
{
	size_t i = get_global_id(0);

	for (int k = 0; k < 16; k++)
		out[16 * i + k] = sqrt(in[16 * i + k]);
}
